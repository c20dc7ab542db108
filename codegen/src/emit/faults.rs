//! The documented faults as an enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use super::docs::doc_attrs;
use crate::ir::Ir;

pub fn emit_faults(ir: &Ir, paths: &Paths) -> TokenStream {
    let rt = &paths.runtime;
    let variants = ir.faults.iter().map(|f| {
        let id = format_ident!("{}", f.rust_name);
        let mut note = format!("The service's `{}` exception.", f.message);
        if !f.operations.is_empty() {
            note.push_str(&format!(
                " Documented for: {}.",
                f.operations.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        let d = doc_attrs(f.doc.as_deref(), &[note]);
        quote!(#d #id,)
    });
    let ids: Vec<_> = ir.faults.iter().map(|f| format_ident!("{}", f.rust_name)).collect();
    let messages: Vec<_> = ir.faults.iter().map(|f| &f.message).collect();
    let ops = ir.faults.iter().map(|f| {
        let o = &f.operations;
        quote!(&[#(#o),*])
    });
    let match_ids = ids.clone();
    let all = ids.clone();
    let op_ids = ids.clone();
    quote! {
        /// The exceptions the service documents. ASMX WSDLs declare no `wsdl:fault`, so this
        /// list comes from the annotations file next to the WSDL.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum DocumentedFault {
            #(#variants)*
        }

        impl DocumentedFault {
            /// Every documented fault.
            pub const ALL: &'static [DocumentedFault] = &[#(DocumentedFault::#all),*];

            /// The exception text the service sends.
            pub const fn message(self) -> &'static str {
                match self {
                    #(DocumentedFault::#match_ids => #messages,)*
                }
            }

            /// The operations whose reference documents this fault.
            pub const fn operations(self) -> &'static [&'static str] {
                match self {
                    #(DocumentedFault::#op_ids => #ops,)*
                }
            }

            /// The documented fault a fault reason names, looking through ASMX's wrapping
            /// (`Server was unable to process request. ---> INVALID PACKAGE ID`), exception
            /// type prefixes and stack traces.
            pub fn from_reason(reason: &str) -> ::core::option::Option<Self> {
                let message = #rt::fault_message(reason);
                Self::ALL.iter().copied().find(|f| f.message() == message)
            }
        }

        impl ::core::fmt::Display for DocumentedFault {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.message())
            }
        }
    }
}
