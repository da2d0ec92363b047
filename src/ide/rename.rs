//! Rename a stage or an ARG/ENV variable, with BuildKit's naming rules.
//!
//! The occurrences come from `references`. Stage references by index
//! (`--from=0`) or through a variable keep working after a rename and are
//! left alone; the result lists them so the editor can say so.

use crate::model::{is_predefined, valid_stage_name, Model, Resolution};
use crate::text::{TextEdit, TextRange, TextSize};

use super::references::{occurrences, symbol_at, Symbol};
use super::Analysis;

/// Where a rename at the cursor applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    /// The name under the cursor.
    pub range: TextRange,
    /// The current name, as the editor should offer it.
    pub placeholder: String,
}

/// The edits of a rename.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameResult {
    pub edits: Vec<TextEdit>,
    /// References that name the symbol by index (`--from=0`) or through a
    /// variable: they still refer to it after the rename, unchanged.
    pub left_unchanged: Vec<TextRange>,
}

impl RenameResult {
    /// A sentence for the editor about `left_unchanged`, if any.
    pub fn note(&self) -> Option<String> {
        match self.left_unchanged.len() {
            0 => None,
            1 => Some("1 reference by index or variable (e.g. --from=0) left unchanged".into()),
            n => Some(format!(
                "{n} references by index or variable (e.g. --from=0) left unchanged"
            )),
        }
    }
}

/// Why there is nothing to rename, or the new name is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameError(pub String);

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, RenameError> {
    Err(RenameError(msg.into()))
}

fn target(m: &Model, offset: TextSize) -> Result<(Symbol, TextRange), RenameError> {
    let Some((sym, range)) = symbol_at(m, offset) else {
        if let Some(ins) = m.instruction_at(offset) {
            if ins.keyword.range.touches(offset) {
                return err(format!(
                    "`{}` is an instruction keyword: only stage names and ARG/ENV variables can be renamed",
                    ins.kind.name()
                ));
            }
            if let Some(r) = m.refs.iter().find(|r| r.range.touches(offset)) {
                return err(match r.resolution {
                    Resolution::Variable => {
                        format!(
                            "`{}` names a stage through a variable; rename the variable instead",
                            r.text
                        )
                    }
                    _ => format!("`{}` is an image, not a stage of this Dockerfile", r.text),
                });
            }
            if let Some(s) = m.stages.iter().find(|s| s.base_range.touches(offset)) {
                if s.from == ins.index && !s.base_text.is_empty() {
                    return err(format!(
                        "`{}` is an image name, not a stage of this Dockerfile",
                        s.base_text
                    ));
                }
            }
        }
        return err("only stage names and ARG/ENV variables can be renamed");
    };
    match &sym {
        Symbol::Var { name, .. } | Symbol::Unresolved { name, .. } if is_predefined(name) => {
            err(format!(
                "`{name}` is predefined by BuildKit and cannot be renamed"
            ))
        }
        Symbol::Unresolved { name, .. } => err(format!(
            "`{name}` is not declared in this Dockerfile (it comes from the base image, the build or the shell)"
        )),
        _ => Ok((sym, range)),
    }
}

fn valid_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_stage_name(m: &Model, text: &str, stage: usize, new: &str) -> Result<(), RenameError> {
    if new.chars().any(|c| c.is_ascii_uppercase()) && valid_stage_name(&new.to_ascii_lowercase()) {
        return err(format!(
            "stage names are lower case: BuildKit lower-cases `AS {new}`, and `FROM {new}` would then not refer to the stage; use `{}`",
            new.to_ascii_lowercase()
        ));
    }
    if !valid_stage_name(new) {
        return err(format!(
            "`{new}` is not a valid stage name: it must match `^[a-z][a-z0-9-_.]*$`"
        ));
    }
    if new == "scratch" || new == "context" {
        return err(format!(
            "`{new}` is reserved by BuildKit and cannot name a stage"
        ));
    }
    if let Some(other) = m.stages_named(new).find(|s| s.index != stage) {
        return err(format!(
            "`{new}` already names stage {} (`FROM {}`)",
            other.index, other.base_text
        ));
    }
    // An image of that name would become a reference to the stage.
    if let Some(r) = m
        .refs
        .iter()
        .find(|r| r.resolution == Resolution::Image && r.text.eq_ignore_ascii_case(new))
    {
        return err(format!(
            "`{new}` is used as an image (`{}`): it would then refer to the stage",
            r.range.slice(text)
        ));
    }
    if let Some(s) = m
        .stages
        .iter()
        .find(|s| s.index > stage && s.base_expanded == new)
    {
        return err(format!(
            "`FROM {}` in stage {} would then refer to this stage instead of an image",
            s.base_text, s.index
        ));
    }
    Ok(())
}

fn check_var_name(
    m: &Model,
    decls: &[usize],
    uses: &[usize],
    new: &str,
) -> Result<(), RenameError> {
    if !valid_var_name(new) {
        return err(format!(
            "`{new}` is not a valid variable name: it must match `[A-Za-z_][A-Za-z0-9_]*`"
        ));
    }
    if is_predefined(new) {
        return err(format!("`{new}` is predefined by BuildKit"));
    }
    // A declaration of the new name where the variable is declared or used
    // would capture (or be captured by) the renamed one.
    let mut scopes: Vec<Option<usize>> = decls.iter().map(|&d| m.decls[d].stage).collect();
    scopes.extend(uses.iter().map(|&u| m.uses[u].stage));
    if let Some(d) = m
        .decls
        .iter()
        .find(|d| d.name == new && scopes.contains(&d.stage))
    {
        let where_ = match d.stage {
            None => "as a global ARG".to_string(),
            Some(s) => format!("in stage {}", m.stages[s].display_name()),
        };
        return err(format!("`{new}` is already declared {where_}"));
    }
    Ok(())
}

impl Analysis {
    /// prepareRename: the name at `offset` and its current text, or why it
    /// cannot be renamed.
    pub fn prepare_rename(&self, offset: TextSize) -> Result<RenameTarget, RenameError> {
        let (m, text) = (self.model(), self.text());
        let (sym, range) = target(m, offset)?;
        let range = match sym {
            Symbol::Stage(s) => {
                let r = super::references::unquoted(text, range);
                let by_index = m
                    .refs
                    .iter()
                    .any(|x| x.range == range && x.by_index && x.target_stage() == Some(s));
                if by_index || m.stages[s].name.is_none() {
                    return err(match &m.stages[s].name {
                        Some(n) => format!(
                            "`{}` refers to stage `{n}` by index: rename the stage at its name",
                            r.slice(text)
                        ),
                        None => format!("stage {s} has no name; add one with `AS name` first"),
                    });
                }
                let occ = occurrences(m, text, &Symbol::Stage(s));
                if occ.iter().any(|o| o.range == r && o.indirect) {
                    return err(format!(
                        "`{}` names the stage through a variable: rename the variable or the stage at its name",
                        r.slice(text)
                    ));
                }
                r
            }
            _ => range,
        };
        Ok(RenameTarget {
            range,
            placeholder: range.slice(text).to_string(),
        })
    }

    /// Rename the symbol at `offset` to `new_name`.
    pub fn rename(&self, offset: TextSize, new_name: &str) -> Result<RenameResult, RenameError> {
        self.prepare_rename(offset)?;
        let (m, text) = (self.model(), self.text());
        let (sym, range) = target(m, offset)?;
        if super::references::unquoted(text, range).slice(text) == new_name {
            return Ok(RenameResult {
                edits: Vec::new(),
                left_unchanged: Vec::new(),
            });
        }
        match &sym {
            Symbol::Stage(s) => check_stage_name(m, text, *s, new_name)?,
            Symbol::Var { decls, uses, .. } => check_var_name(m, decls, uses, new_name)?,
            Symbol::Unresolved { name, .. } => {
                return err(format!("`{name}` is not declared in this Dockerfile"))
            }
        }
        let mut result = RenameResult {
            edits: Vec::new(),
            left_unchanged: Vec::new(),
        };
        for o in occurrences(m, text, &sym) {
            if o.indirect {
                result.left_unchanged.push(o.range);
            } else if o.range.slice(text) != new_name {
                result.edits.push(TextEdit::replace(o.range, new_name));
            }
        }
        Ok(result)
    }
}
