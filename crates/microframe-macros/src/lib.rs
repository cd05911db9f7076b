//! microframe's attribute macros; use them through `microframe` (`microframe::debug_handler`),
//! which documents them with examples.
//!
//! Why a macro: a handler is any `async fn` whose arguments are extractors, through one
//! `Handler<Args>` impl per arity. When one argument is wrong, the compiler cannot tell which
//! impl was meant, so it can only say that the whole function "is not a handler" (axum and
//! Bevy's systems hit the same wall). `#[debug_handler]` adds, next to the function, one
//! check per argument, one for the return type and one for the future's `Send`: each
//! failure is then reported on the argument (or return type, or `.await`) at fault, with the
//! trait's own note on what to use instead. The function itself is left as it is, so the
//! attribute changes nothing at run time.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, ReturnType};

/// Checks a handler's arguments, return type and future one by one, so a compile error names
/// the one at fault. See `microframe::debug_handler`.
#[proc_macro_attribute]
pub fn debug_handler(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr = proc_macro2::TokenStream::from(attr);
    if !attr.is_empty() {
        return syn::Error::new(attr.span(), "`debug_handler` takes no arguments").to_compile_error().into();
    }
    let function = match syn::parse::<ItemFn>(item) {
        Ok(function) => function,
        Err(error) => return error.to_compile_error().into(),
    };
    match checks(&function) {
        Ok(checks) => quote!(#function #checks).into(),
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#function #error).into()
        }
    }
}

/// The checks, in a `const _` block beside the function.
fn checks(function: &ItemFn) -> syn::Result<proc_macro2::TokenStream> {
    let signature = &function.sig;
    if signature.asyncness.is_none() {
        return Err(syn::Error::new(signature.fn_token.span(), "a handler is an `async fn`"));
    }
    if !signature.generics.params.is_empty() {
        return Err(syn::Error::new(signature.generics.span(), "`debug_handler` checks handlers without generics"));
    }
    let name = &signature.ident;
    let mut types = Vec::new();
    for input in &signature.inputs {
        match input {
            FnArg::Typed(typed) => types.push(&*typed.ty),
            FnArg::Receiver(receiver) => {
                return Err(syn::Error::new(receiver.span(), "a handler is a free `async fn`, not a method"));
            }
        }
    }
    let mut checks = Vec::new();
    for (index, ty) in types.iter().enumerate() {
        let check = format_ident!("__microframe_check_argument_{index}");
        let bound = if index + 1 == types.len() {
            quote!(::microframe::FromEnvironLast)
        } else {
            quote!(::microframe::FromEnviron)
        };
        checks.push(quote_spanned! {ty.span()=>
            #[allow(dead_code)]
            fn #check() {
                fn is_an_extractor<T: #bound>() {}
                is_an_extractor::<#ty>();
            }
        });
    }
    let (output, output_span) = match &signature.output {
        ReturnType::Default => (quote!(()), signature.ident.span()),
        ReturnType::Type(_, ty) => (quote!(#ty), ty.span()),
    };
    checks.push(quote_spanned! {output_span=>
        #[allow(dead_code)]
        fn __microframe_check_return() {
            fn is_a_response<T: ::microframe::IntoResponse>() {}
            is_a_response::<#output>();
        }
    });
    let placeholders = types.iter().map(|_| quote!(::core::panic!()));
    checks.push(quote_spanned! {name.span()=>
        #[allow(dead_code, unreachable_code, unused_variables, clippy::diverging_sub_expression)]
        fn __microframe_check_future() {
            fn is_send<F: ::core::future::Future + ::core::marker::Send>(_future: F) {}
            is_send(#name(#(#placeholders),*));
        }
    });
    Ok(quote! {
        #[doc(hidden)]
        const _: () = {
            #(#checks)*
        };
    })
}
