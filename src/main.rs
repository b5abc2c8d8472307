//! `placewise` command line.

/// mimalloc in place of the system allocator: a plan run allocates and frees many small
/// strings and vectors each year of each draw, on every thread at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    placewise::run_cli()
}
