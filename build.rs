//! Tells the corpus tests whether `../shared/corpus` is there, so that in a clone without
//! it they are reported as *ignored, with the reason* in the test summary instead of
//! passing without having looked. With `CI=true` they always run (and then fail on a
//! missing corpus), so CI cannot pass by not looking.

use std::path::Path;

fn main() {
    let corpus = Path::new("..").join("shared").join("corpus");
    println!("cargo::rustc-check-cfg=cfg(corpus_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    // Re-checked when either manifest appears or changes (a missing path is re-checked on
    // every build, which costs nothing here).
    for name in ["dev", "field"] {
        let manifest = corpus.join(name).join("manifest.json");
        println!("cargo::rerun-if-changed={}", manifest.display());
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let present = ["dev", "field"]
        .iter()
        .all(|name| corpus.join(name).join("manifest.json").is_file());
    if !present && !in_ci {
        println!("cargo::rustc-cfg=corpus_missing");
    }
}
