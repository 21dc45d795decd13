//! Rebuilds the demo apps in `samples/` from code:
//! `cargo run --example build-samples`.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in [
        ("demo-android.apk", mastiff::fixtures::samples::demo_apk()),
        ("demo-ios.ipa", mastiff::fixtures::samples::demo_ipa()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes)?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
