//! Links the binary and the tests to the interpreter they were built against: PyO3 finds it
//! (`PYO3_PYTHON`, else `python3` on `PATH`), and an rpath to its library directory makes the
//! same `libpython` load at run time, not another one the dynamic linker finds first (a
//! machine with pyenv's CPython and the distribution's `libpython3.11` has two).

fn main() {
    let config = pyo3_build_config::get();
    if let Some(lib_dir) = &config.lib_dir {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib_dir}");
    }
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
}
