mod admin;
mod auth;
mod domains;
mod errors;
mod faults;
mod instances;
mod lifecycle;
