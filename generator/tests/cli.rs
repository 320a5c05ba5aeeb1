//! The `generator` binary end to end: `--spec/--out` writes a crate, `--check` lists stale,
//! missing and leftover files and exits non-zero, bad specs exit non-zero with pointed errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_generator"))
}

/// Writes the test spec into a directory of the calling test's own (tests run in parallel).
fn petstore(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-spec-{test}"));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("petstore.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example"}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200":
          description: A pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
"#,
    )
    .unwrap();
    spec
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_a_crate_then_check_passes() {
    let out = out_dir("cli-write");
    let petstore = || petstore("write");
    let status = bin()
        .args(["--spec"])
        .arg(petstore())
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/models.rs",
        "src/client.rs",
        "src/operations.rs",
        "src/runtime/mod.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let cargo = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains("name = \"petstore\""),
        "crate named after the spec file: {cargo}"
    );
    assert!(
        !cargo.contains("path ="),
        "depends on crates.io crates only: {cargo}"
    );
    let check = bin()
        .args(["--check", "--spec"])
        .arg(petstore())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn check_lists_stale_missing_and_leftover_files() {
    let out = out_dir("cli-check");
    let petstore = || petstore("check");
    assert!(
        bin()
            .arg("--spec")
            .arg(petstore())
            .arg("--out")
            .arg(&out)
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(out.join("src/models.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(out.join("src/client.rs")).unwrap();
    std::fs::write(out.join("src/old_module.rs"), "// no longer generated\n").unwrap();
    let before: Vec<u8> = std::fs::read(out.join("src/models.rs")).unwrap();

    let check = bin()
        .arg("--check")
        .arg("--spec")
        .arg(petstore())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("src/models.rs: out of date"), "{stderr}");
    assert!(stderr.contains("src/client.rs: missing"), "{stderr}");
    assert!(stderr.contains("src/old_module.rs: leftover"), "{stderr}");
    assert_eq!(
        std::fs::read(out.join("src/models.rs")).unwrap(),
        before,
        "--check writes nothing"
    );

    // Regenerating repairs all three.
    assert!(
        bin()
            .arg("--spec")
            .arg(petstore())
            .arg("--out")
            .arg(&out)
            .status()
            .unwrap()
            .success()
    );
    assert!(!out.join("src/old_module.rs").exists());
    let check = bin()
        .arg("--check")
        .arg("--spec")
        .arg(petstore())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(check.status.success());
}

#[test]
fn bad_spec_exits_non_zero_with_pointers_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("bad.json");
    std::fs::write(&spec, r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"x","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}"##).unwrap();
    let out = out_dir("cli-bad-out");
    let run = bin()
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error: #/paths/~1a/get/responses/200/content/application~1json/schema"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn missing_spec_file_is_a_clear_error() {
    let run = bin()
        .args(["--spec", "/nonexistent/spec.yaml", "--out"])
        .arg(out_dir("cli-missing"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot read `/nonexistent/spec.yaml`"));
}
