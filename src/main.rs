//! `placewise` command line.

fn main() -> std::process::ExitCode {
    placewise::run_cli()
}
