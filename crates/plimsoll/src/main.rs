//! The `plimsoll` executable: everything is in the library's [`plimsoll::main`].

fn main() -> std::process::ExitCode {
    plimsoll::main()
}

/// mimalloc instead of the system allocator: parsing and rule checks allocate many small
/// strings, and glibc malloc/free was a third of the CPU time on the real-world corpus.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
