//! The WASM bundle must never link server crates.

#[test]
fn frontend_does_not_depend_on_server_crates() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "frontend",
            "--target",
            "wasm32-unknown-unknown",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("leptos v"), "the tree was read: {tree}");
    for forbidden in ["sqlx", "tokio ", "axum", "hyper ", "argon2", "leptos_axum", "mio "] {
        assert!(
            !tree
                .lines()
                .any(|l| l.starts_with(forbidden.trim_end()) && l[forbidden.trim_end().len()..].starts_with(' ')),
            "{forbidden} reaches the WASM bundle"
        );
    }
}
