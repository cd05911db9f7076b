// The rpath to the interpreter's library, shared by the build scripts of gateway-python and
// of the crates whose binaries embed it (`include!`d: a build script cannot pass link
// arguments on to its dependents).
//
// PyO3 finds the interpreter (`PYO3_PYTHON`, else `python3` on `PATH`) and links against its
// `libpython`; the rpath makes that same library load at run time, not another one the
// dynamic linker finds first (a machine with pyenv's CPython and the distribution's
// `libpython3.11` has two).

fn link_libpython_rpath() {
    if let Some(lib_dir) = &pyo3_build_config::get().lib_dir {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib_dir}");
    }
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
}
