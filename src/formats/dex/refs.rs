//! Which class uses each string, and which field it initialises: gathered
//! from every class's static values and method code.

use super::{encoded, insns, reader::Cursor, ClassData, Dex};

/// Marks an unset index in [`Use`].
const NONE: u32 = u32::MAX;

/// What the code says about one string (8 bytes per string).
#[derive(Debug, Clone, Copy)]
struct Use {
    /// String index of the first using class's descriptor, or [`NONE`].
    class_descriptor: u32,
    /// String index of the field name it is stored into, or [`NONE`].
    field_name: u32,
}

/// A string's first user, as returned by [`Refs::get`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StringUse {
    pub class_descriptor: u32,
    pub field_name: Option<u32>,
}

/// One record per string of the table, and what could not be read.
pub(super) struct Refs {
    uses: Vec<Use>,
    problems: u32,
    first_problem: Option<String>,
}

impl Refs {
    /// The first class using string `idx`, if any does.
    pub(super) fn get(&self, idx: u32) -> Option<StringUse> {
        let u = self.uses.get(idx as usize)?;
        (u.class_descriptor != NONE).then(|| StringUse {
            class_descriptor: u.class_descriptor,
            field_name: (u.field_name != NONE).then_some(u.field_name),
        })
    }

    /// A summary of the parts that could not be read, if any.
    pub(super) fn problem(&self) -> Option<String> {
        let first = self.first_problem.as_ref()?;
        Some(match self.problems {
            1 => first.clone(),
            n => format!(
                "{first} (and {} more problems in class data or code)",
                n - 1
            ),
        })
    }

    fn report(&mut self, problem: impl FnOnce() -> String) {
        self.problems = self.problems.saturating_add(1);
        if self.first_problem.is_none() {
            self.first_problem = Some(problem());
        }
    }

    /// Records a use of string `idx` by a class. The first class wins; a
    /// later use by the same class may add the field the first one lacked.
    fn record(&mut self, idx: u32, class_descriptor: u32, field_name: Option<u32>) {
        let Some(u) = self.uses.get_mut(idx as usize) else {
            self.report(|| format!("string index {idx} out of range"));
            return;
        };
        let field_name = field_name.unwrap_or(NONE);
        if u.class_descriptor == NONE {
            *u = Use {
                class_descriptor,
                field_name,
            };
        } else if u.class_descriptor == class_descriptor && u.field_name == NONE {
            u.field_name = field_name;
        }
    }
}

/// Walks every class definition. Work is bounded by a budget proportional to
/// the file size, so that many items sharing one offset cannot multiply it.
pub(super) fn collect(dex: &Dex<'_>) -> Refs {
    let none = Use {
        class_descriptor: NONE,
        field_name: NONE,
    };
    let mut refs = Refs {
        uses: vec![none; dex.string_count() as usize],
        problems: 0,
        first_problem: None,
    };
    let mut budget = dex.bytes.len().saturating_mul(4);
    let mut data = ClassData::default();
    for class in 0..dex.class_count() {
        match walk_class(dex, class, &mut data, &mut refs, &mut budget) {
            Ok(()) => {}
            Err(Stop::Class(problem)) => refs.report(|| problem),
            Err(Stop::Budget) => {
                refs.report(|| {
                    format!("work limit reached at class {class}; later classes skipped")
                });
                break;
            }
        }
    }
    refs
}

enum Stop {
    /// This class could not be read (fully); go on with the next.
    Class(String),
    /// The work budget is spent.
    Budget,
}

fn spend(budget: &mut usize, amount: usize) -> Result<(), Stop> {
    *budget = budget.checked_sub(amount).ok_or(Stop::Budget)?;
    Ok(())
}

/// Gathers the string uses of class definition `class`.
fn walk_class(
    dex: &Dex<'_>,
    class: u32,
    data: &mut ClassData,
    refs: &mut Refs,
    budget: &mut usize,
) -> Result<(), Stop> {
    let def = dex
        .class_def(class)
        .ok_or_else(|| Stop::Class(format!("class_def {class} unreadable")))?;
    let descriptor = dex.type_descriptor_idx(def.class_idx).ok_or_else(|| {
        Stop::Class(format!(
            "class_def {class}: bad type index {}",
            def.class_idx
        ))
    })?;
    let mut first_error = None;
    if def.class_data_off == 0 {
        data.clear();
    } else if let Err(e) = dex.class_data(def.class_data_off, data) {
        // Go on with the entries read before the error.
        first_error = Some(e.message);
    }
    spend(budget, data.len() + 1)?;
    if def.static_values_off != 0 {
        let mut cur = Cursor::new(dex.bytes, def.static_values_off as usize);
        let fields = &data.static_fields;
        let ok = encoded::array_strings(&mut cur, |position, string| {
            let name = fields
                .get(position)
                .and_then(|f| dex.field(f.field_idx))
                .map(|f| f.name_idx);
            refs.record(string, descriptor, name);
        });
        spend(
            budget,
            cur.pos().saturating_sub(def.static_values_off as usize),
        )?;
        if ok.is_none() {
            first_error.get_or_insert_with(|| {
                format!("static_values at {:#x} malformed", def.static_values_off)
            });
        }
    }
    for method in data.direct_methods.iter().chain(&data.virtual_methods) {
        if method.code_off == 0 {
            continue;
        }
        let code = match dex.code_item(method.code_off) {
            Ok(code) => code,
            Err(e) => {
                first_error.get_or_insert(e.message);
                continue;
            }
        };
        spend(budget, code.insns.len().max(1))?;
        let walked = insns::const_strings(code.insns, |found| {
            let field = found
                .field_idx
                .and_then(|f| dex.field(f))
                .map(|f| f.name_idx);
            refs.record(found.string_idx, descriptor, field);
        });
        if let Err(unit) = walked {
            first_error.get_or_insert_with(|| {
                format!(
                    "code_item at {:#x}: instruction at unit {unit} runs past the end",
                    method.code_off
                )
            });
        }
    }
    first_error.map_or(Ok(()), |e| Err(Stop::Class(e)))
}
