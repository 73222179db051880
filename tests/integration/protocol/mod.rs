mod handshake;
mod mtls;
mod services;
