mod admin;
mod auth;
mod domains;
mod errors;
mod instances;
mod lifecycle;
