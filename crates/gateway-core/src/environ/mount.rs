//! The mount point: `SCRIPT_NAME` and `PATH_INFO`, raw and decoded, moved by a mount
//! (`shift_path`) and led by a prefix a proxy stripped (`with_forwarded_prefix`).
//!
//! Both are views of the one raw path: `script_len` bytes of it are the script name, the rest
//! is the path info, so nothing is copied per request. Only behind a proxy that strips a
//! prefix does the script name hold text the path does not: then it is kept whole, as
//! `ForwardedScript`.

use std::borrow::Cow;

use super::Environ;
use crate::percent;

/// `gateway.raw_script_name` when a proxy stripped a prefix the path no longer holds.
pub(super) struct ForwardedScript {
    /// The prefix's length at the front of `script`.
    prefix_len: usize,
    /// The prefix, then the raw path's own script part.
    script: String,
}

impl Environ {
    /// `SCRIPT_NAME`: where the app is mounted, percent-decoded; `""` at the root.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/blog/post/7").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert!(environ.shift_path("/blog"));
    /// assert_eq!(environ.script_name(), "/blog");
    /// assert_eq!(environ.path_info(), "/post/7");
    /// ```
    pub fn script_name(&self) -> Cow<'_, str> {
        percent::decode(self.raw_script_name())
    }

    /// `PATH_INFO`: the rest of the path below the mount point, percent-decoded (lossy
    /// UTF-8); `""` at the mount point itself. Invalid escapes (`%zz`, a lone `%`) are kept
    /// literally, and `+` is not a space in a path (as for [`script_name`](Environ::script_name)).
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/a%2Fb").body(()).unwrap().into_parts();
    /// let environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(environ.path_info(), "/a/b");
    /// assert_eq!(environ.raw_path_info(), "/a%2Fb");
    /// # let (parts, ()) = http::Request::get("/a+b%zz%").body(()).unwrap().into_parts();
    /// let odd = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert_eq!(odd.path_info(), "/a+b%zz%");
    /// ```
    pub fn path_info(&self) -> Cow<'_, str> {
        percent::decode(self.raw_path_info())
    }

    /// `gateway.raw_script_name`: the mount prefix as received, still percent-encoded;
    /// `url_for` and redirects prepend this.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.raw_script_name(), "");
    /// ```
    pub fn raw_script_name(&self) -> &str {
        match &self.inner.forwarded {
            Some(forwarded) => &forwarded.script,
            None => &self.raw_path()[..self.inner.script_len],
        }
    }

    /// Puts `raw_prefix` in front of `SCRIPT_NAME` and `gateway.raw_script_name`: the path
    /// a proxy mounts the app under and strips before forwarding (`X-Forwarded-Prefix`), so
    /// `url_for`, redirects and cookie paths carry it. `PATH_INFO` does not change. A
    /// trailing `/` is dropped; `""` or `/` removes a prefix set before. The prefix is taken
    /// as it is: the proxy-header layer that calls this has checked it is `/`-led segments
    /// with no empty, `.` or `..` one and no control byte.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/blog/post/7").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// environ.shift_path("/blog");
    /// let environ = environ.with_forwarded_prefix("/app");
    /// assert_eq!(environ.raw_script_name(), "/app/blog");
    /// assert_eq!(environ.forwarded_prefix(), "/app");
    /// assert_eq!(environ.path_info(), "/post/7");
    /// ```
    pub fn with_forwarded_prefix(mut self, raw_prefix: &str) -> Self {
        let prefix = raw_prefix.strip_suffix('/').unwrap_or(raw_prefix);
        let own = &self.raw_path()[..self.inner.script_len];
        self.inner.forwarded = (!prefix.is_empty())
            .then(|| Box::new(ForwardedScript { prefix_len: prefix.len(), script: format!("{prefix}{own}") }));
        self
    }

    /// The prefix a proxy stripped ([`with_forwarded_prefix`](Self::with_forwarded_prefix)),
    /// `""` when none: the front of `gateway.raw_script_name` that the request's path does
    /// not hold.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.forwarded_prefix(), "");
    /// ```
    pub fn forwarded_prefix(&self) -> &str {
        self.inner.forwarded.as_ref().map_or("", |forwarded| &forwarded.script[..forwarded.prefix_len])
    }

    /// `gateway.raw_path_info`: the still percent-encoded remainder; routers split this.
    ///
    /// # Examples
    /// ```
    /// # let environ = gateway_core::Environ::new(http::Request::new(()).into_parts().0, gateway_core::Input::empty());
    /// assert_eq!(environ.raw_path_info(), "/");
    /// ```
    pub fn raw_path_info(&self) -> &str {
        &self.raw_path()[self.inner.script_len..]
    }

    fn raw_path(&self) -> &str {
        self.inner.parts.uri.path()
    }

    /// Moves `raw_prefix` from the front of `PATH_INFO` to the end of `SCRIPT_NAME`, as a
    /// mount does. The prefix is compared with the raw path, case-sensitively, on whole
    /// segments: `/legacy` moves for `/legacy` and `/legacy/x`, not for `/legacyx` or
    /// `/legacy%2Fx`. A trailing `/` of the prefix is not moved (`/legacy/` moves `/legacy`;
    /// `/`, the root, moves nothing and matches every path). Returns `false`, changing
    /// nothing, when it does not match.
    ///
    /// # Examples
    /// ```
    /// # let (parts, ()) = http::Request::get("/legacy").body(()).unwrap().into_parts();
    /// let mut environ = gateway_core::Environ::new(parts, gateway_core::Input::empty());
    /// assert!(!environ.shift_path("/leg"));
    /// assert!(environ.shift_path("/legacy"));
    /// assert_eq!(environ.path_info(), "");
    /// ```
    pub fn shift_path(&mut self, raw_prefix: &str) -> bool {
        let prefix = raw_prefix.strip_suffix('/').unwrap_or(raw_prefix);
        let rest = self.raw_path_info();
        let matches = rest.starts_with(prefix) && (rest.len() == prefix.len() || rest.as_bytes()[prefix.len()] == b'/');
        if matches {
            if let Some(forwarded) = &mut self.inner.forwarded {
                forwarded.script.push_str(prefix);
            }
            self.inner.script_len += prefix.len();
        }
        matches
    }
}

#[cfg(test)]
mod tests {
    use super::super::Input;
    use super::*;

    fn environ(target: &str) -> Environ {
        Environ::new(http::Request::get(target).body(()).unwrap().into_parts().0, Input::empty())
    }

    #[test]
    fn the_prefix_leads_the_script_name_whatever_the_order_of_mounting() {
        let mut before = environ("/blog/post/7").with_forwarded_prefix("/app/");
        assert!(before.shift_path("/blog"));
        let mut after = environ("/blog/post/7");
        assert!(after.shift_path("/blog"));
        let after = after.with_forwarded_prefix("/app");
        for environ in [&before, &after] {
            assert_eq!(environ.raw_script_name(), "/app/blog");
            assert_eq!(environ.script_name(), "/app/blog");
            assert_eq!(environ.forwarded_prefix(), "/app");
            assert_eq!(environ.raw_path_info(), "/post/7");
        }
        assert!(!before.shift_path("/app"), "the prefix is not in the path: it cannot be shifted again");
    }

    #[test]
    fn an_empty_or_root_prefix_removes_it_and_escapes_decode_in_script_name() {
        let environ = environ("/x").with_forwarded_prefix("/caf%C3%A9").with_forwarded_prefix("/");
        assert_eq!((environ.raw_script_name(), environ.forwarded_prefix()), ("", ""));
        let environ = environ.with_forwarded_prefix("/caf%C3%A9");
        assert_eq!(environ.script_name(), "/café");
        assert_eq!(environ.get("SCRIPT_NAME").as_deref(), Some("/café"));
        assert_eq!(environ.get("gateway.raw_script_name").as_deref(), Some("/caf%C3%A9"));
    }
}
