mod config_server;
mod schema;
