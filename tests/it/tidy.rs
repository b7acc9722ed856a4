//! The layer rule of ARCHITECTURE.md, read from the source as
//! rust-analyzer's tidy tests do: a module of `src/` names with `crate::`
//! only modules of its own layer or of the layers below it, and no two
//! modules name each other, directly or through others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo;

/// The layers of `src/`, lowest first: each top-level module's place.
const LAYERS: &[&[&str]] = &[
    &["diagnostic", "allocator", "theme", "output"],
    &["model"],
    &["text"],
    &["content"],
    &["site"],
    &["pages"],
    &["files"],
    &["render"],
    &["build"],
    &["serve", "scaffold", "import"],
];

fn layer(module: &str) -> Option<usize> {
    let top = module.split("::").next()?;
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every module of `src/` (`content::parse`, `render`…) with its code,
/// tests and comments left out.
fn modules() -> BTreeMap<String, String> {
    let src = repo().join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            parts.pop();
        }
        if parts.is_empty() {
            continue;
        }
        out.insert(parts.join("::"), code_of(path));
    }
    out
}

fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The modules that `code` names: the longest known prefix of each
/// `crate::a::b::c` path, and each name of a `use crate::{a, b}` group.
fn named(code: &str, known: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for name in group.split(',').map(|n| n.trim().split("::").next().unwrap_or("").trim()) {
                if known.contains(name) {
                    out.insert(name.to_string());
                }
            }
            continue;
        }
        let path: String = rest.chars().take_while(|&c| ident(c) || c == ':').collect();
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        if let Some(m) =
            (1..=segments.len()).rev().map(|k| segments[..k].join("::")).find(|m| known.contains(m.as_str()))
        {
            out.insert(m);
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    modules.iter().map(|(m, code)| (m.clone(), named(code, &known).into_iter().filter(|n| n != m).collect())).collect()
}

#[test]
fn every_module_has_a_layer() {
    let missing: Vec<String> = graph().into_keys().filter(|m| layer(m).is_none()).collect();
    assert!(missing.is_empty(), "modules without a layer in tests/it/tidy.rs and ARCHITECTURE.md: {missing:?}");
}

#[test]
fn no_module_names_a_layer_above_its_own() {
    let mut wrong = Vec::new();
    for (m, names) in graph() {
        for n in names {
            if let (Some(a), Some(b)) = (layer(&m), layer(&n))
                && b > a
            {
                wrong.push(format!("{m} (layer {a}) names {n} (layer {b})"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that go up a layer:\n{}", wrong.join("\n"));
}

/// Tarjan's strongly connected components: any of more than one module is
/// a cycle.
#[test]
fn src_has_no_import_cycle() {
    let g = graph();
    let names: Vec<&String> = g.keys().collect();
    let at: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = names.iter().map(|n| g[*n].iter().map(|t| at[t.as_str()]).collect()).collect();
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        cycles: Vec<Vec<usize>>,
    }
    fn visit(v: usize, edges: &[Vec<usize>], s: &mut State) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &edges[v] {
            match s.index[w] {
                None => {
                    visit(w, edges, s);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(i) if s.on_stack[w] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.cycles.push(component);
            }
        }
    }
    let n = names.len();
    let mut s = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: vec![],
        next: 0,
        cycles: vec![],
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(v, &edges, &mut s);
        }
    }
    let cycles: Vec<String> = s
        .cycles
        .iter()
        .map(|c| {
            let mut c: Vec<&str> = c.iter().map(|&i| names[i].as_str()).collect();
            c.sort();
            c.join(" ↔ ")
        })
        .collect();
    assert!(cycles.is_empty(), "import cycles in src/:\n{}", cycles.join("\n"));
}

/// The checker itself: it must see an upward import and a cycle.
#[test]
fn the_checker_sees_paths_and_groups() {
    let known: BTreeSet<&str> = ["model", "model::hours", "render", "text", "text::html"].into_iter().collect();
    let code = "use crate::model::hours::Horaires;\nuse crate::{render, text::html};\nlet x = crate::model::Site;";
    let found: Vec<String> = named(code, &known).into_iter().collect();
    assert_eq!(found, ["model", "model::hours", "render", "text"]);
}
