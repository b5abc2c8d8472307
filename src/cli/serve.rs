//! `placewise serve`: parse the arguments, load the area, start the server, print the audit log.

use super::{Failure, load};
use crate::{ServeConfig, ServeError, serve};
use clap::Args;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The area folder to serve.
    #[arg(long, default_value = "fixtures/wyvernshire")]
    area: PathBuf,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Address to listen on. Without --token-file only loopback addresses are allowed.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// File holding the bearer token (at least 16 characters, at least 5 different ones) that
    /// every request must present.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Longest a request may compute, in milliseconds, before it is cut off with 503.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Largest request body accepted, in bytes (413 above).
    #[arg(long, default_value_t = 65_536)]
    body_limit: usize,
    /// Longest a client may take to send a request's headers, in milliseconds (also closes
    /// idle kept-alive connections).
    #[arg(long, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Longest a connection may go without a byte moving while a request is in progress, in
    /// milliseconds (never less than twice --timeout-ms plus 5 s).
    #[arg(long, default_value_t = 60_000)]
    idle_timeout_ms: u64,
    /// The address people reach the service at, e.g. https://placewise.example.gov.uk (behind
    /// a TLS proxy): with https the sign-in cookie is marked Secure.
    #[arg(long, value_name = "URL")]
    origin: Option<String>,
    /// Print the API's OpenAPI document (as served at /openapi.json) and exit.
    #[arg(long)]
    print_openapi: bool,
}

pub fn run(args: ServeArgs) -> Result<ExitCode, Failure> {
    if args.print_openapi {
        print!("{}", crate::serve::openapi_json());
        return Ok(ExitCode::SUCCESS);
    }
    let token = match &args.token_file {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => Some(t.trim().to_string()),
            Err(e) => {
                eprintln!("error: --token-file {}: cannot read: {e}", path.display());
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let mut config = ServeConfig::new(args.addr, token);
    config.compute_timeout = Duration::from_millis(args.timeout_ms.max(1));
    config.body_limit = args.body_limit;
    config.header_read_timeout = Duration::from_millis(args.header_timeout_ms.max(1));
    config.idle_timeout = Duration::from_millis(args.idle_timeout_ms.max(1));
    match args.origin.as_deref() {
        None => {}
        Some(o) if o.starts_with("https://") => config.secure_cookie = true,
        Some(o) if o.starts_with("http://") => {}
        Some(o) => {
            eprintln!(
                "error: --origin `{}`: expected a URL starting with https:// or http://",
                crate::diag::clip(o, 200)
            );
            return Ok(ExitCode::from(2));
        }
    }
    // Refuse a bad address or token before spending time loading the area.
    if let Err(e) = crate::serve::check_config(&config) {
        eprintln!("error: {e}");
        return Ok(ExitCode::from(2));
    }
    config.audit = std::sync::Arc::new(|entry| {
        let _ = writeln!(std::io::stderr().lock(), "{entry}");
    });
    let session = load(&args.area, &args.rules)?;
    let area = session.area().name.clone();
    let result = serve(session, config, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}/ ({area})");
        let _ = out.flush();
    });
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(
            e @ (ServeError::NonLoopbackWithoutToken(_)
            | ServeError::WeakToken(_)
            | ServeError::RepetitiveToken(_)),
        ) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(Failure::Other(e.to_string())),
    }
}
