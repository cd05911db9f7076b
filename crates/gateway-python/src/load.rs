//! Loading the WSGI callable: `module:callable` or `module:factory()` (gunicorn's forms),
//! with the working directory on `sys.path` and the virtualenv of `VIRTUAL_ENV` honoured.
//!
//! Embedded CPython ignores `VIRTUAL_ENV` (a venv is found from the `pyvenv.cfg` beside
//! `sys.executable`, and this process's executable is not the venv's `python`), so its
//! `site-packages` is added with `site.addsitedir`, ahead of the interpreter's own (the
//! venv's Flask wins over a global one). A venv of another minor version than the linked
//! interpreter is refused: its compiled packages would not load.

use std::fmt;
use std::path::Path;

use pyo3::prelude::*;
use pyo3::types::PyList;

/// Why a callable could not be loaded: printed as one line, without a traceback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub(crate) String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Imports `spec` (`module:callable`, `module:factory()`, or `module` for
/// `module:application`), with `dir` first on `sys.path`, and returns the callable.
pub(crate) fn load(py: Python<'_>, dir: &Path, spec: &str) -> Result<Py<PyAny>, LoadError> {
    prepare_path(py, dir)?;
    let (module_name, attribute) = spec.split_once(':').unwrap_or((spec, "application"));
    let (attribute, call) = match attribute.strip_suffix("()") {
        Some(factory) => (factory, true),
        None => (attribute, false),
    };
    if module_name.is_empty() || attribute.is_empty() {
        return Err(LoadError(format!("{spec:?} is not MODULE:CALLABLE")));
    }
    let module = py.import(module_name).map_err(|error| {
        if error.is_instance_of::<pyo3::exceptions::PyModuleNotFoundError>(py) {
            LoadError(format!("no module named {module_name:?} (sys.path: {})", sys_path(py)))
        } else {
            LoadError(format!("importing {module_name:?} failed: {}", error_line(py, &error)))
        }
    })?;
    let found = module
        .getattr(attribute)
        .map_err(|_| LoadError(format!("module {module_name:?} has no attribute {attribute:?}")))?;
    let app = if call {
        found.call0().map_err(|error| LoadError(format!("{attribute}() failed: {}", error_line(py, &error))))?
    } else {
        found
    };
    if !app.is_callable() {
        return Err(LoadError(format!("{spec} is not callable")));
    }
    Ok(app.unbind())
}

/// `dir` first on `sys.path` (once), then the virtualenv's `site-packages` (once).
fn prepare_path(py: Python<'_>, dir: &Path) -> Result<(), LoadError> {
    let fail = |error: PyErr| LoadError(format!("setting up sys.path failed: {}", error_line(py, &error)));
    let sys = py.import("sys").map_err(fail)?;
    let path = sys
        .getattr("path")
        .map_err(fail)?
        .cast_into::<PyList>()
        .map_err(|_| LoadError("sys.path is not a list".into()))?;
    let contains = |entry: &std::ffi::OsStr| path.contains(entry).unwrap_or(false);
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV").filter(|venv| !venv.is_empty()) {
        let version = sys.getattr("version_info").map_err(fail)?;
        let (major, minor): (u32, u32) = (
            version.getattr("major").and_then(|v| v.extract()).map_err(fail)?,
            version.getattr("minor").and_then(|v| v.extract()).map_err(fail)?,
        );
        let site_packages = Path::new(&venv).join(format!("lib/python{major}.{minor}/site-packages"));
        if !site_packages.is_dir() {
            return Err(LoadError(format!(
                "VIRTUAL_ENV={} has no {} (a virtualenv of another Python version? this build runs Python {major}.{minor})",
                Path::new(&venv).display(),
                site_packages.display()
            )));
        }
        if contains(site_packages.as_os_str()) {
            return insert_first(&path, dir).map_err(fail);
        }
        let before = path.len();
        py.import("site")
            .and_then(|site| site.call_method1("addsitedir", (site_packages.as_os_str(),)))
            .map_err(fail)?;
        // addsitedir appends: move what it added to the front.
        let added: Vec<Bound<'_, PyAny>> = (before..path.len()).filter_map(|index| path.get_item(index).ok()).collect();
        for (offset, entry) in added.iter().enumerate() {
            path.call_method1("remove", (entry,)).map_err(fail)?;
            path.insert(offset, entry).map_err(fail)?;
        }
    }
    insert_first(&path, dir).map_err(fail)
}

/// `dir` at the front of `sys.path`, unless it is there already.
fn insert_first(path: &Bound<'_, PyList>, dir: &Path) -> PyResult<()> {
    if !path.contains(dir.as_os_str())? {
        path.insert(0, dir.as_os_str())?;
    }
    Ok(())
}

fn sys_path(py: Python<'_>) -> String {
    py.import("sys")
        .and_then(|sys| sys.getattr("path"))
        .and_then(|path| path.str())
        .map_or_else(|_| "?".into(), |path| path.to_string())
}

/// `ExceptionType: message`, one line.
pub(crate) fn error_line(py: Python<'_>, error: &PyErr) -> String {
    let kind = error.get_type(py).name().map_or_else(|_| "Exception".into(), |name| name.to_string());
    match error.value(py).str() {
        Ok(message) if !message.to_string().is_empty() => format!("{kind}: {message}"),
        _ => kind,
    }
}
