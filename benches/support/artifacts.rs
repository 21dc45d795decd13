//! Benchmark inputs built with the project's fixture writers, scaled up.

use super::strings::Mix;
use mastiff::fixtures::dex::DexBuilder;
use mastiff::fixtures::elf::ElfBuilder;

/// A DEX whose `classes` classes each use `strings_per_class` strings from
/// `mix`: one in eight (and every planted secret that names a field) as a
/// static field's value, the rest as `const-string` in a method.
pub fn dex(mix: &mut Mix, classes: usize, strings_per_class: usize) -> Vec<u8> {
    let mut builder = DexBuilder::new();
    for _ in 0..classes {
        let name = mix.class_name();
        let class = builder.class(&name);
        let mut code = Vec::new();
        for i in 0..strings_per_class {
            match mix.draw() {
                (text, Some(field)) => {
                    class.static_string_field(&field, &text);
                }
                (text, None) if i % 8 == 0 => {
                    let field = format!("{}{i}", mix.field_name());
                    class.static_string_field(&field, &text);
                }
                (text, None) => code.push(text),
            }
        }
        let code: Vec<&str> = code.iter().map(String::as_str).collect();
        class.method_with_strings("init", &code);
    }
    builder.build()
}

/// A shared object with `strings` strings from `mix` in `.rodata` (nine in
/// ten) and `.data`, and a dynamic symbol per hundred strings.
pub fn elf(mix: &mut Mix, strings: usize) -> Vec<u8> {
    let mut builder = ElfBuilder::new();
    for i in 0..strings {
        let s = mix.draw().0;
        builder = if i % 10 == 0 {
            builder.data(&s)
        } else {
            builder.rodata(&s)
        };
        if i % 100 == 0 {
            builder =
                builder.dynamic_symbol(&format!("Java_{}", mix.class_name().replace('.', "_")));
        }
    }
    builder.build()
}
