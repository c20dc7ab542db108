//! The last pass: fields that close a type cycle are boxed, and types derive `Eq` where
//! nothing inside is a float.

use super::*;
use crate::ir::Occurs;

impl TypeSpace<'_> {
    /// The converted types, with fields that close a cycle boxed, ordered by Rust name.
    pub fn finish(mut self, _diags: &mut Diagnostics) -> Vec<TypeDef> {
        let names: Vec<String> = self.out.keys().cloned().collect();
        let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let id = |n: &str| index.get(n).copied();
        // A field that holds a value inline (not behind a Vec) is boxed when its type reaches
        // back to the owner: owner and target are in one strongly connected component of the
        // inline-value graph.
        let defs: Vec<&TypeDef> = self.out.values().collect();
        let inline: Vec<Vec<usize>> = defs
            .iter()
            .map(|def| match def {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| f.occurs != Occurs::Repeated)
                    .filter_map(|f| named(&f.ty).and_then(id))
                    .collect(),
                TypeDef::Choice(c) => c.variants.iter().filter_map(|v| named(&v.ty).and_then(id)).collect(),
                TypeDef::Poly(p) => p.variants.iter().filter_map(|(rust, _)| id(rust)).collect(),
                TypeDef::Enum(_) => Vec::new(),
            })
            .collect();
        let component = strongly_connected(&inline);
        let mut to_box: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (owner, def) in defs.iter().enumerate() {
            if let TypeDef::Struct(s) = def {
                for f in s.fields.iter().filter(|f| f.occurs != Occurs::Repeated) {
                    if named(&f.ty).and_then(id).is_some_and(|target| component[target] == component[owner]) {
                        to_box.entry(owner).or_default().push(f.rust_name.clone());
                    }
                }
            }
        }
        // `Eq` unless a float, an unknown type, or a type that is not `Eq` is reachable:
        // spread "not Eq" backwards from the types that hold one directly.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
        let mut not_eq = vec![false; defs.len()];
        for (i, def) in defs.iter().enumerate() {
            let mut refs = Refs::default();
            match def {
                TypeDef::Struct(s) => s.fields.iter().for_each(|f| refs.visit(&f.ty)),
                TypeDef::Choice(c) => c.variants.iter().for_each(|v| refs.visit(&v.ty)),
                TypeDef::Poly(p) => {
                    refs.named.extend(p.variants.iter().map(|(rust, _)| rust.as_str()).chain([p.base.as_str()]))
                }
                TypeDef::Enum(_) => {}
            }
            not_eq[i] = refs.float;
            for n in refs.named {
                match id(n) {
                    Some(j) => users[j].push(i),
                    None => not_eq[i] = true,
                }
            }
        }
        let mut work: Vec<usize> = (0..defs.len()).filter(|&i| not_eq[i]).collect();
        while let Some(j) = work.pop() {
            for &i in &users[j] {
                if !not_eq[i] {
                    not_eq[i] = true;
                    work.push(i);
                }
            }
        }
        drop(defs);
        for (i, def) in self.out.values_mut().enumerate() {
            let is_eq = !not_eq[i];
            match def {
                TypeDef::Struct(s) => {
                    s.derives_eq = is_eq;
                    let boxed = to_box.get(&i).map_or(&[][..], Vec::as_slice);
                    s.fields.iter_mut().filter(|f| boxed.contains(&f.rust_name)).for_each(|f| f.boxed = true);
                }
                TypeDef::Choice(c) => c.derives_eq = is_eq,
                TypeDef::Poly(p) => p.derives_eq = is_eq,
                TypeDef::Enum(_) => {}
            }
        }
        self.out.into_values().collect()
    }
}

/// The named type a field holds directly (not in an array or list).
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// What a type refers to, for deriving `Eq`: whether it holds a float, and the named types
/// it holds in any way.
#[derive(Default)]
struct Refs<'a> {
    float: bool,
    named: Vec<&'a str>,
}

impl<'a> Refs<'a> {
    fn visit(&mut self, ty: &'a TypeRef) {
        match ty {
            TypeRef::Prim(Prim::F32 | Prim::F64) => self.float = true,
            TypeRef::Prim(_) => {}
            TypeRef::Named(n) => self.named.push(n),
            TypeRef::Array { item, .. } | TypeRef::List(item) => self.visit(item),
        }
    }
}

/// The strongly connected component of every node of a graph given as adjacency lists
/// (Tarjan's algorithm, with an explicit stack: a schema's chain of types can be deeper than
/// the thread's stack). Two nodes share a component exactly when each reaches the other.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut calls): (Vec<usize>, Vec<(usize, usize)>) = (Vec::new(), Vec::new());
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        while let Some(&(v, edge)) = calls.last() {
            if order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    /// Components of a graph with a self-loop, a three-cycle reached from outside, and a
    /// chain: nodes share a component exactly when each reaches the other.
    #[test]
    fn components_match_mutual_reachability() {
        // 0 → 1 → 2 → 3 → 1 (cycle 1-2-3); 4 → 4 (self-loop); 5 → 6 → 7 (chain).
        let edges = vec![vec![1], vec![2], vec![3], vec![1], vec![4], vec![6], vec![7], vec![]];
        let c = strongly_connected(&edges);
        assert!(c[1] == c[2] && c[2] == c[3]);
        assert_ne!(c[0], c[1]);
        assert_ne!(c[5], c[6]);
        assert_ne!(c[6], c[7]);
        let mut distinct = c.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "{c:?}");
    }

    /// A chain of 200 000 types does not overflow the stack.
    #[test]
    fn deep_chains_are_fine() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] }).collect();
        let c = strongly_connected(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
