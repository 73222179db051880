mod endpoints;
mod errors_auth;
mod retries;
mod simulator;
