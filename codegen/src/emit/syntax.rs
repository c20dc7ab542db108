//! `syn` trees built directly, for the shapes the generated code repeats for every type, field
//! and operation (field types, doc attributes, setters, codec statements, client methods,
//! operation descriptors, the server's methods and call arms). Building them through `quote!`
//! and `syn::parse2` costs a token buffer, a parse and a copy of every identifier and literal
//! for each; these builders make the tree the parse would have made, node for node, so the
//! printed text is the same. Shapes that occur once per type or file, or rarely, are still
//! quoted and parsed ([`items`], [`parse`], [`stmts`]).

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;

use crate::diagnostics::{Diagnostic, Diagnostics, Span as SourceSpan};

/// A generator bug: tokens the generator built do not parse.
fn bug(e: &syn::Error) -> Diagnostics {
    Diagnostic::new(
        SourceSpan::default(),
        "emit",
        format!("generated tokens do not parse as Rust (a generator bug): {e}"),
    )
    .into()
}

/// Quoted items, parsed.
pub fn items(tokens: TokenStream) -> Result<Vec<syn::Item>, Diagnostics> {
    syn::parse2::<syn::File>(tokens).map(|f| f.items).map_err(|e| bug(&e))
}

/// A quoted expression, type, match arm or associated item, parsed.
pub fn parse<T: syn::parse::Parse>(tokens: TokenStream) -> Result<T, Diagnostics> {
    syn::parse2(tokens).map_err(|e| bug(&e))
}

/// Quoted statements, parsed as a block's contents.
pub fn stmts(tokens: TokenStream) -> Result<Vec<syn::Stmt>, Diagnostics> {
    syn::parse::Parser::parse2(syn::Block::parse_within, tokens).map_err(|e| bug(&e))
}

/// An identifier that is never a keyword (`Ok`, `self`, `f_name`): no raw check.
pub fn plain(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

/// A path of plain segments (`rt::XmlReader`).
pub fn path<I: Into<syn::Ident>>(segments: impl IntoIterator<Item = I>) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .into_iter()
            .map(|i| syn::PathSegment { ident: i.into(), arguments: syn::PathArguments::None })
            .collect(),
    }
}

/// A path from the crate root of a dependency (`::core::result::Result`).
pub fn global_path(segments: &[&str]) -> syn::Path {
    let mut path = path(segments.iter().map(|s| plain(s)));
    path.leading_colon = Some(Default::default());
    path
}

/// `path` with generic arguments on its last segment (`rt::Nillable<T>`).
pub fn generic(mut path: syn::Path, args: impl IntoIterator<Item = syn::Type>) -> syn::Path {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(syn::GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    path
}

/// The type a path names.
pub fn ty(path: syn::Path) -> syn::Type {
    syn::Type::Path(syn::TypePath { attrs: Vec::new(), qself: None, path })
}

/// `()`.
pub fn unit_ty() -> syn::Type {
    tuple_ty([])
}

/// `impl Bound` (`impl Into<String>`).
pub fn impl_trait(bound: syn::Path) -> syn::Type {
    let bound =
        syn::TraitBound { paren_token: None, lifetimes: None, modifiers: Default::default(), maybe: None, path: bound };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: std::iter::once(syn::TypeParamBound::Trait(bound)).collect(),
    })
}

/// `impl Bound + Bound` with several bounds.
pub fn impl_traits(bounds: impl IntoIterator<Item = syn::Path>) -> syn::Type {
    let bound = |path| {
        syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            lifetimes: None,
            modifiers: Default::default(),
            maybe: None,
            path,
        })
    };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: bounds.into_iter().map(bound).collect(),
    })
}

/// `path` with an associated type binding on its last segment (`Future<Output = T>`).
pub fn with_assoc(mut path: syn::Path, name: &str, ty: syn::Type) -> syn::Path {
    if let Some(last) = path.segments.last_mut() {
        let binding = syn::AssocType { ident: plain(name), generics: None, eq_token: Default::default(), ty };
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::AssocType(binding)).collect(),
            gt_token: Default::default(),
        });
    }
    path
}

/// `return expr`.
pub fn return_(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Return(syn::ExprReturn {
        attrs: Vec::new(),
        return_token: Default::default(),
        expr: Some(Box::new(expr)),
    })
}

/// `()` as a pattern.
pub fn pat_unit() -> syn::Pat {
    syn::Pat::Tuple(syn::PatTuple { attrs: Vec::new(), paren_token: Default::default(), elems: Punctuated::new() })
}

/// `let pat = init;` for any pattern.
pub fn let_pat(pat: syn::Pat, init: syn::Expr) -> syn::Stmt {
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat,
        init: Some(syn::LocalInit { eq_token: Default::default(), expr: Box::new(init), diverge: None }),
        semi_token: Default::default(),
    })
}

/// The expression a path names (a variable, `None`, `rt::decode_text`).
pub fn path_expr(path: syn::Path) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path })
}

/// A variable or other one-segment path expression.
pub fn var(ident: syn::Ident) -> syn::Expr {
    path_expr(path([ident]))
}

/// `func(args)`.
pub fn call(func: syn::Expr, args: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.method(args)`.
pub fn method(receiver: syn::Expr, method: &str, args: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    method_named(receiver, plain(method), args)
}

/// `receiver.method(args)`, with a method name the IR chose (raw where it is a keyword).
pub fn method_named(receiver: syn::Expr, method: syn::Ident, args: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method,
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `expr?`.
pub fn try_(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Try(syn::ExprTry { attrs: Vec::new(), expr: Box::new(expr), question_token: Default::default() })
}

/// `&expr`, or `&mut expr`.
pub fn reference(expr: syn::Expr, mutable: bool) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: mutable.then(Default::default),
        expr: Box::new(expr),
    })
}

/// `base.member`.
pub fn field(base: syn::Expr, member: syn::Ident) -> syn::Expr {
    syn::Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(member),
    })
}

/// `self.member`.
pub fn self_field(member: syn::Ident) -> syn::Expr {
    field(var(plain("self")), member)
}

/// A string literal.
pub fn lit_str(value: &str) -> syn::Expr {
    syn::Expr::Lit(str_lit(value))
}

/// A string literal, as the literal node both expressions and patterns hold.
fn str_lit(value: &str) -> syn::ExprLit {
    syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())) }
}

/// An unsuffixed integer literal (`3`), as the literal node both expressions and patterns
/// hold.
fn int_lit(value: usize) -> syn::ExprLit {
    syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Int(syn::LitInt::new(&value.to_string(), Span::call_site())) }
}

/// `3` (an unsuffixed integer).
pub fn lit_int(value: usize) -> syn::Expr {
    syn::Expr::Lit(int_lit(value))
}

/// `3` as a pattern.
pub fn pat_int(value: usize) -> syn::Pat {
    syn::Pat::Lit(int_lit(value))
}

/// `!expr`.
pub fn unary_not(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Unary(syn::ExprUnary { attrs: Vec::new(), op: syn::UnOp::Not(Default::default()), expr: Box::new(expr) })
}

/// `true` or `false`.
pub fn lit_bool(value: bool) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())) })
}

/// `left = right`.
pub fn assign(left: syn::Expr, right: syn::Expr) -> syn::Expr {
    syn::Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(left),
        eq_token: Default::default(),
        right: Box::new(right),
    })
}

/// `member: value` in a struct expression.
pub fn field_init(member: syn::Ident, expr: syn::Expr) -> syn::FieldValue {
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(member),
        colon_token: Some(Default::default()),
        expr,
    }
}

/// `member` alone in a struct expression (`x` for `x: x`).
pub fn field_shorthand(member: syn::Ident) -> syn::FieldValue {
    let expr = var(member.clone());
    syn::FieldValue { attrs: Vec::new(), member: syn::Member::Named(member), colon_token: None, expr }
}

/// `Path { fields }`.
pub fn struct_expr_of(path: syn::Path, fields: impl IntoIterator<Item = syn::FieldValue>) -> syn::Expr {
    syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields: fields.into_iter().collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `Path { member: value, ... }`.
pub fn struct_expr(path: syn::Path, fields: impl IntoIterator<Item = (syn::Ident, syn::Expr)>) -> syn::Expr {
    struct_expr_of(path, fields.into_iter().map(|(member, expr)| field_init(member, expr)))
}

/// `base.await`.
pub fn await_(base: syn::Expr) -> syn::Expr {
    syn::Expr::Await(syn::ExprAwait {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        await_token: Default::default(),
    })
}

/// `receiver.method::<turbofish>(args)`.
pub fn method_turbofish(
    receiver: syn::Expr,
    name: &str,
    turbofish: syn::Type,
    args: impl IntoIterator<Item = syn::Expr>,
) -> syn::Expr {
    let mut call = method(receiver, name, args);
    if let syn::Expr::MethodCall(m) = &mut call {
        m.turbofish = Some(syn::AngleBracketedGenericArguments {
            colon2_token: Some(Default::default()),
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::Type(turbofish)).collect(),
            gt_token: Default::default(),
        });
    }
    call
}

/// `let pat: ty = init;`.
pub fn let_typed(pat: syn::Pat, ty: syn::Type, init: syn::Expr) -> syn::Stmt {
    let pat = syn::Pat::Type(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(pat),
        colon_token: Default::default(),
        ty: Box::new(ty),
    });
    let_pat(pat, init)
}

/// `_`.
pub fn pat_wild() -> syn::Pat {
    syn::Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: Default::default() })
}

/// `Ok(())`.
pub fn ok_unit() -> syn::Expr {
    call(var(plain("Ok")), [tuple([])])
}

/// `{ stmts }`.
pub fn block(stmts: Vec<syn::Stmt>) -> syn::Block {
    syn::Block { brace_token: Default::default(), stmts }
}

/// `if cond { then }`.
pub fn if_(cond: syn::Expr, then: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::If(syn::ExprIf {
        attrs: Vec::new(),
        if_token: Default::default(),
        cond: Box::new(cond),
        then_branch: block(then),
        else_branch: None,
    })
}

/// `let pat = expr` (the condition of `if let` and `while let`).
pub fn let_expr(pat: syn::Pat, expr: syn::Expr) -> syn::Expr {
    syn::Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: Box::new(pat),
        eq_token: Default::default(),
        expr: Box::new(expr),
    })
}

/// `for pat in expr { body }`.
pub fn for_(pat: syn::Pat, expr: syn::Expr, body: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::ForLoop(syn::ExprForLoop {
        attrs: Vec::new(),
        label: None,
        for_token: Default::default(),
        pat: Box::new(pat),
        in_token: Default::default(),
        expr: Box::new(expr),
        body: block(body),
    })
}

/// `match expr { arms }`.
pub fn match_(expr: syn::Expr, arms: Vec<syn::Arm>) -> syn::Expr {
    syn::Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(expr),
        brace_token: Default::default(),
        arms,
    })
}

/// `pat => body,` (the comma as the parse of `quote!(#pat => #body,)` keeps it: only after a
/// body that is not a block).
pub fn arm(pat: syn::Pat, body: syn::Expr) -> syn::Arm {
    let comma = (!matches!(body, syn::Expr::Block(_))).then(Default::default);
    syn::Arm { attrs: Vec::new(), pat, fat_arrow_token: Default::default(), body: Box::new(body), comma }
}

/// `pat if guard => { stmts }`.
pub fn arm_guarded(pat: syn::Pat, guard: syn::Expr, stmts: Vec<syn::Stmt>) -> syn::Arm {
    let pat = syn::Pat::Guard(syn::PatGuard {
        attrs: Vec::new(),
        pat: Box::new(pat),
        if_token: Default::default(),
        guard: Box::new(guard),
    });
    syn::Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(block_expr(stmts)),
        comma: None,
    }
}

/// `const { expr }`: an inline constant, evaluated when the code compiles.
pub fn const_block(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Const(syn::ExprConst {
        attrs: Vec::new(),
        modifiers: Default::default(),
        const_token: Default::default(),
        block: block(vec![tail(expr)]),
    })
}

/// `loop { body }`.
pub fn loop_(body: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::Loop(syn::ExprLoop { attrs: Vec::new(), label: None, loop_token: Default::default(), body: block(body) })
}

/// `continue`.
pub fn continue_() -> syn::Expr {
    syn::Expr::Continue(syn::ExprContinue { attrs: Vec::new(), continue_token: Default::default(), label: None })
}

/// `let pat = init else { break };`.
pub fn let_else_break(pat: syn::Pat, init: syn::Expr) -> syn::Stmt {
    let break_ = syn::Expr::Break(syn::ExprBreak {
        attrs: Vec::new(),
        break_token: Default::default(),
        label: None,
        expr: None,
    });
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat,
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: Some((Default::default(), Box::new(block_expr(vec![tail(break_)])))),
        }),
        semi_token: Default::default(),
    })
}

/// `{ stmts }` as an expression (a match arm's body).
pub fn block_expr(stmts: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::Block(syn::ExprBlock { attrs: Vec::new(), label: None, block: block(stmts) })
}

/// A binding pattern: `name`, or `mut name`.
pub fn pat_ident(name: syn::Ident, mutable: bool) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: mutable.then(Default::default),
        ident: name,
        subpat: None,
    })
}

/// `Path(elems)` as a pattern (`Some(v)`).
pub fn pat_tuple_struct(path: syn::Path, elems: impl IntoIterator<Item = syn::Pat>) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// A string literal pattern (a match arm on an element name).
pub fn pat_str(value: &str) -> syn::Pat {
    syn::Pat::Lit(str_lit(value))
}

/// `let name = init;`, or `let mut name = init;`.
pub fn let_(name: syn::Ident, mutable: bool, init: syn::Expr) -> syn::Stmt {
    let_pat(pat_ident(name, mutable), init)
}

/// `expr;`.
pub fn semi(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, Some(Default::default()))
}

/// `expr` as a statement without a semicolon: a block-like one (`if`, `match`, `for`) or the
/// block's value.
pub fn tail(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, None)
}

/// `#[name]`, `#[name(tokens)]` or `#[doc = "text"]`.
fn attr(meta: syn::Meta) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// `#[name]` (`#[must_use]`, `#[non_exhaustive]`).
pub fn attr_word(name: &str) -> syn::Attribute {
    attr(syn::Meta::Path(path([plain(name)])))
}

/// `#[name(tokens)]` (`#[derive(Debug)]`).
pub fn attr_list(name: &str, tokens: TokenStream) -> syn::Attribute {
    attr(syn::Meta::List(syn::MetaList {
        path: path([plain(name)]),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

/// `#[doc = "text"]`.
pub fn doc(text: &str) -> syn::Attribute {
    attr(syn::Meta::NameValue(syn::MetaNameValue {
        path: path([plain("doc")]),
        eq_token: Default::default(),
        value: lit_str(text),
    }))
}

/// `pub name: ty` with its attributes, or `name: ty` when not `public`.
pub fn named_field(attrs: Vec<syn::Attribute>, public: bool, name: syn::Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: if public { syn::Visibility::Public(Default::default()) } else { syn::Visibility::Inherited },
        modifiers: Default::default(),
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// `{ fields }` of a struct.
pub fn fields_named(fields: impl IntoIterator<Item = syn::Field>) -> syn::Fields {
    syn::Fields::Named(syn::FieldsNamed { brace_token: Default::default(), named: fields.into_iter().collect() })
}

/// A struct item: `attrs pub struct name { fields }`.
pub fn item_struct(attrs: Vec<syn::Attribute>, public: bool, name: syn::Ident, fields: syn::Fields) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: if public { syn::Visibility::Public(Default::default()) } else { syn::Visibility::Inherited },
        struct_token: Default::default(),
        ident: name,
        generics: Default::default(),
        fields,
        semi_token: None,
    })
}

/// `'name` (without the apostrophe).
pub fn lifetime(name: &str) -> syn::Lifetime {
    syn::Lifetime { apostrophe: Span::call_site(), ident: plain(name) }
}

/// `path` with a lifetime argument on its last segment (`rt::XmlReader<'a>`).
pub fn with_lifetime(mut path: syn::Path, name: &str) -> syn::Path {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::Lifetime(lifetime(name))).collect(),
            gt_token: Default::default(),
        });
    }
    path
}

/// `&ty`, `&mut ty` or `&'lifetime ty`.
pub fn ref_ty(elem: syn::Type, mutable: bool, lifetime_name: Option<&str>) -> syn::Type {
    syn::Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: lifetime_name.map(lifetime),
        mutability: mutable.then(Default::default),
        elem: Box::new(elem),
    })
}

/// `name: ty`, a function's parameter.
pub fn arg(name: syn::Ident, ty: syn::Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(pat_ident(name, false)),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// The receiver: `self`, `mut self` or `&self`.
pub enum Receiver {
    Value,
    MutValue,
    Ref,
}

/// The receiver as a function's parameter.
pub fn receiver(receiver: Receiver) -> syn::FnArg {
    let (mutability, kind) = match receiver {
        Receiver::Value => (None, syn::ReceiverKind::Value),
        Receiver::MutValue => (Some(Default::default()), syn::ReceiverKind::Value),
        Receiver::Ref => (None, syn::ReceiverKind::Reference(Default::default(), None, None)),
    };
    syn::FnArg::Receiver(syn::Receiver { attrs: Vec::new(), mutability, self_token: Default::default(), kind })
}

/// `<'a, ...>`: lifetime parameters, or none.
fn lifetime_params(names: &[&str]) -> syn::Generics {
    if names.is_empty() {
        return Default::default();
    }
    syn::Generics {
        lt_token: Some(Default::default()),
        params: names
            .iter()
            .map(|n| {
                syn::GenericParam::Lifetime(syn::LifetimeParam {
                    attrs: Vec::new(),
                    lifetime: lifetime(n),
                    colon_token: None,
                    bounds: Punctuated::new(),
                })
            })
            .collect(),
        gt_token: Some(Default::default()),
        where_clause: None,
    }
}

/// A function's signature apart from its body.
pub struct Fn {
    pub attrs: Vec<syn::Attribute>,
    pub public: bool,
    pub name: syn::Ident,
    /// Lifetime parameters (`'a` as `"a"`).
    pub lifetimes: &'static [&'static str],
    pub inputs: Vec<syn::FnArg>,
    /// The return type; `None` for `()`.
    pub output: Option<syn::Type>,
}

impl Fn {
    /// The associated function with `body`.
    pub fn with_body(self, body: Vec<syn::Stmt>) -> syn::ImplItem {
        syn::ImplItem::Fn(self.build(body))
    }

    /// The associated function with `body`, as itself (to make it `async`).
    pub fn build(self, body: Vec<syn::Stmt>) -> syn::ImplItemFn {
        let vis = if self.public { syn::Visibility::Public(Default::default()) } else { syn::Visibility::Inherited };
        let (attrs, sig) = self.signature();
        syn::ImplItemFn { attrs, vis, modifiers: Default::default(), sig, block: block(body) }
    }

    /// A trait's required method: the signature and `;`.
    pub fn declaration(self) -> syn::TraitItem {
        let (attrs, sig) = self.signature();
        syn::TraitItem::Fn(syn::TraitItemFn {
            attrs,
            modifiers: Default::default(),
            sig,
            default: None,
            semi_token: Some(Default::default()),
        })
    }

    /// The attributes and the signature.
    fn signature(self) -> (Vec<syn::Attribute>, syn::Signature) {
        let sig = syn::Signature {
            constness: None,
            asyncness: None,
            safety: syn::Safety::Default,
            abi: None,
            fn_token: Default::default(),
            ident: self.name,
            generics: lifetime_params(self.lifetimes),
            paren_token: Default::default(),
            inputs: self.inputs.into_iter().collect(),
            variadic: None,
            output: match self.output {
                Some(t) => syn::ReturnType::Type(Default::default(), Box::new(t)),
                None => syn::ReturnType::Default,
            },
        };
        (self.attrs, sig)
    }
}

/// `impl self_ty { items }`, or `impl trait_ for self_ty { items }`.
pub fn item_impl(trait_: Option<syn::Path>, self_ty: syn::Type, items: Vec<syn::ImplItem>) -> syn::Item {
    syn::Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        modifiers: Default::default(),
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: trait_.map(|t| (t, Default::default())),
        self_ty: Box::new(self_ty),
        brace_token: Default::default(),
        items,
    })
}

/// `const name: ty = value;` in an `impl`.
pub fn impl_const(name: &str, ty: syn::Type, value: syn::Expr) -> syn::ImplItem {
    syn::ImplItem::Const(syn::ImplItemConst {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        const_token: Default::default(),
        ident: plain(name),
        generics: Default::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr: value,
        semi_token: Default::default(),
    })
}

/// `type name = ty;` in an `impl`.
pub fn impl_type(name: &str, ty: syn::Type) -> syn::ImplItem {
    syn::ImplItem::Type(syn::ImplItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: plain(name),
        generics: Default::default(),
        eq_token: Default::default(),
        ty,
        semi_token: Default::default(),
    })
}

/// `attrs pub struct name;`.
pub fn unit_struct(attrs: Vec<syn::Attribute>, name: syn::Ident) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: name,
        generics: Default::default(),
        fields: syn::Fields::Unit,
        semi_token: Some(Default::default()),
    })
}

/// `(elems)` as an expression.
pub fn tuple(elems: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `[elems]` as an expression.
pub fn array(elems: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `(elems)` as a type.
pub fn tuple_ty(elems: impl IntoIterator<Item = syn::Type>) -> syn::Type {
    syn::Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `[elem]`.
pub fn slice_ty(elem: syn::Type) -> syn::Type {
    syn::Type::Slice(syn::TypeSlice { attrs: Vec::new(), bracket_token: Default::default(), elem: Box::new(elem) })
}

/// `&'static str`.
pub fn static_str() -> syn::Type {
    ref_ty(ty(path([plain("str")])), false, Some("static"))
}

/// A setter: `attrs pub fn name(mut self, param: ty) -> Self { body }`.
pub fn setter(
    attrs: Vec<syn::Attribute>,
    name: syn::Ident,
    param: syn::Ident,
    param_ty: syn::Type,
    body: Vec<syn::Stmt>,
) -> syn::ImplItem {
    let inputs = vec![receiver(Receiver::MutValue), arg(param, param_ty)];
    let output = Some(ty(path([plain("Self")])));
    Fn { attrs, public: true, name, lifetimes: &[], inputs, output }.with_body(body)
}
