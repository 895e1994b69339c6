//! Reading typed values out of a service's YAML the way compose-go does.
//!
//! compose-go interpolates the raw text first and only then types it: at the paths its
//! `interpolateTypeCastMapping` (loader/interpolate.go) lists, and wherever its `mapstructure`
//! `cast` hook meets a string for a typed field, a string becomes a boolean (`toBoolean`: `true`,
//! `false`, and with a warning the YAML 1.1 `y`/`yes`/`on`/`n`/`no`/`off`, any case), an integer
//! (`strconv.ParseInt`) or a float (`strconv.ParseFloat`). So `privileged: "true"`,
//! `cpus: "0.5"` and `pids_limit: "100"` mean what they say, and so does
//! `privileged: ${PRIVILEGED}`. The readers here accept exactly that, and report anything else
//! as an error naming the file, line, key path, what was expected and what was found.

use super::render;
use super::MapContext;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{Origin, Sourced, Via};
use crate::yaml::{Node, NodeKind};

/// Most entries one list or mapping of a service may have. Real services have tens; a hostile
/// file with a million ports would otherwise cost hundreds of megabytes of RunSpec. More is an
/// error (never a silent cut: an auditor must not skip entries).
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// Most warnings kept for one service (one more says how many were left out).
const MAX_WARNINGS: usize = 100;

/// The state of mapping one service: its name (for messages), the project around it, and the
/// warnings gathered so far.
pub(crate) struct Mapper<'a> {
    pub name: &'a str,
    pub cx: &'a MapContext<'a>,
    pub warnings: Vec<Diagnostic>,
    /// Warnings not kept beyond [`MAX_WARNINGS`].
    dropped: usize,
}

/// One entry of a `list_or_dict` value (`environment`, `sysctls`, …), whichever way written.
pub(crate) struct Entry<'n> {
    pub name: String,
    /// `None`: a list item without `=`, or a mapping value that is null.
    pub value: Option<String>,
    /// The list item, or the mapping's value node (its key node when the value is null and has
    /// no position of its own worth showing).
    pub node: &'n Node,
    /// `environment[2]` or `environment.NAME`.
    pub via: String,
    /// Whether it was a `NAME=value` list item.
    pub from_list: bool,
}

impl<'a> Mapper<'a> {
    pub fn new(name: &'a str, cx: &'a MapContext<'a>) -> Self {
        Mapper {
            name,
            cx,
            warnings: Vec::new(),
            dropped: 0,
        }
    }

    /// Keeps a warning, up to [`MAX_WARNINGS`].
    pub fn push_warning(&mut self, warning: Diagnostic) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        } else {
            self.dropped += 1;
        }
    }

    /// The warnings, with a note on those left out.
    pub fn finish(mut self, anchor: &Node) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            self.warnings.push(Diagnostic {
                path: anchor.file.to_string(),
                span: Some(anchor.span),
                message: format!(
                    "services.{}: {} more warnings not shown",
                    self.name, self.dropped
                ),
                hint: None,
            });
        }
        self.warnings
    }

    /// The error for a list or mapping with more than [`MAX_ENTRIES`] entries.
    fn too_many(&self, node: &Node, via: &str, count: usize) -> Diagnostic {
        Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message: format!(
                "{} has {count} entries; plimsoll audits at most {MAX_ENTRIES}",
                self.display(via)
            ),
            hint: Some(
                "a real service needs far fewer: is the file generated or corrupt?".to_string(),
            ),
        }
    }

    /// `Err` when `node` is a collection with more than [`MAX_ENTRIES`] entries.
    pub fn check_size(&self, node: &Node, via: &str) -> Result<(), Diagnostic> {
        let count = match &node.kind {
            NodeKind::Seq(items) => items.len(),
            NodeKind::Map(pairs) => pairs.len(),
            NodeKind::Scalar(_) => 0,
        };
        if count > MAX_ENTRIES {
            return Err(self.too_many(node, via, count));
        }
        Ok(())
    }

    /// `services.web.ports[0]`.
    pub fn display(&self, via: &str) -> String {
        format!("services.{}.{via}", self.name)
    }

    /// Where a fact is written: `node`'s file and span, quoted as `written`.
    pub fn origin(&self, node: &Node, via: &str, written: String) -> Origin {
        Origin::at(
            &node.file,
            node.span,
            written,
            Via::Compose(via.to_string()),
        )
    }

    /// `value` from `node`, quoted the usual way (`cap_add: SYS_ADMIN`).
    pub fn sourced<T>(&self, value: T, node: &Node, via: &str) -> Sourced<T> {
        Sourced::new(value, self.origin(node, via, render::written(via, node)))
    }

    /// A boolean setting of the service, under its field's compose key, with its origin
    /// (`None` when the key is absent or null).
    pub fn bool_setting(
        &mut self,
        svc: &Node,
        field: Field,
    ) -> Result<Option<Sourced<bool>>, Diagnostic> {
        self.setting(svc, field, Self::bool)
    }

    /// A string setting of the service, under its field's compose key, with its origin
    /// (`None` when the key is absent or null; an empty string is kept).
    pub fn string_setting(
        &mut self,
        svc: &Node,
        field: Field,
    ) -> Result<Option<Sourced<String>>, Diagnostic> {
        self.setting(svc, field, Self::string)
    }

    /// The service's setting under its field's compose key, read with `read`, with its origin.
    fn setting<T>(
        &mut self,
        svc: &Node,
        field: Field,
        read: impl FnOnce(&mut Self, &Node, &str) -> Result<Option<T>, Diagnostic>,
    ) -> Result<Option<Sourced<T>>, Diagnostic> {
        let key = field.compose();
        let Some(node) = svc.get(key) else {
            return Ok(None);
        };
        Ok(read(self, node, key)?.map(|value| self.sourced(value, node, key)))
    }

    /// The error for a value of the wrong type.
    pub fn wrong_type(&self, node: &Node, via: &str, expected: &str, hint: &str) -> Diagnostic {
        Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message: format!(
                "{} must be {expected}, but it is {}",
                self.display(via),
                render::found(node)
            ),
            hint: Some(hint.to_string()),
        }
    }

    /// The error for a value of the right type that cannot be read (`ports: "80:80:80:80"`).
    pub fn bad_value(&self, node: &Node, via: &str, problem: &str, hint: &str) -> Diagnostic {
        Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message: format!("{}: {} {problem}", self.display(via), render::found(node)),
            hint: Some(hint.to_string()),
        }
    }

    /// The error for a required value that is empty — usually because interpolation made it
    /// so (`target: ${UNSET}`): then the message quotes what was written, since the unset
    /// variable is the real cause.
    pub fn empty_value(&self, node: &Node, via: &str, hint: &str) -> Diagnostic {
        let from = node
            .as_scalar()
            .and_then(|s| s.original.as_deref())
            .filter(|o| !o.is_empty());
        let message = match from {
            Some(original) => format!(
                "{} is empty: `{}` interpolated to nothing (an unset or empty variable?)",
                self.display(via),
                render::one_line(original)
            ),
            None => format!("{} is empty", self.display(via)),
        };
        Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message,
            hint: Some(hint.to_string()),
        }
    }

    /// Records a warning at `node`.
    pub fn warn(&mut self, node: &Node, message: String, hint: Option<String>) {
        self.push_warning(Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message,
            hint,
        });
    }

    /// A boolean (`true`, or a string compose-go's `toBoolean` accepts). `None`: null.
    pub fn bool(&mut self, node: &Node, via: &str) -> Result<Option<bool>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        if let Some(b) = node.as_bool() {
            return Ok(Some(b));
        }
        let Some(text) = node.as_str() else {
            return Err(self.wrong_type(
                node,
                via,
                "a boolean",
                &format!("write `{}: true` or `{}: false`", key_of(via), key_of(via)),
            ));
        };
        match text.to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            legacy @ ("y" | "yes" | "on" | "n" | "no" | "off") => {
                let value = matches!(legacy, "y" | "yes" | "on");
                self.warn(
                    node,
                    format!(
                        "{}: `{text}` for a boolean is YAML 1.1; compose reads it as `{value}`",
                        self.display(via)
                    ),
                    Some(format!("write `{}: {value}`", key_of(via))),
                );
                Ok(Some(value))
            }
            _ => Err(self.bad_value(
                node,
                via,
                "is not a boolean",
                &format!("write `{}: true` or `{}: false`", key_of(via), key_of(via)),
            )),
        }
    }

    /// An integer (a YAML integer, or a string `strconv.ParseInt` reads). `None`: null.
    pub fn int(&self, node: &Node, via: &str) -> Result<Option<i64>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        if let Some(i) = node.as_i64() {
            return Ok(Some(i));
        }
        let hint = format!("write a whole number, e.g. `{}: 100`", key_of(via));
        match node.as_str() {
            Some(text) if node.as_bool().is_none() => parse_go_int(text)
                .map(Some)
                .ok_or_else(|| self.bad_value(node, via, "is not a whole number", &hint)),
            _ => Err(self.wrong_type(node, via, "a whole number", &hint)),
        }
    }

    /// A float (a YAML number, or a string `strconv.ParseFloat` reads), finite and not
    /// negative. `None`: null.
    pub fn float(&self, node: &Node, via: &str) -> Result<Option<f64>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        let hint = format!("write a number, e.g. `{}: 0.5`", key_of(via));
        let value = match (node.as_f64(), node.as_str()) {
            (Some(f), _) => f,
            (None, Some(text)) if node.as_bool().is_none() => parse_go_float(text)
                .ok_or_else(|| self.bad_value(node, via, "is not a number", &hint))?,
            _ => return Err(self.wrong_type(node, via, "a number", &hint)),
        };
        if !value.is_finite() || value < 0.0 {
            return Err(self.bad_value(node, via, "is not a positive number", &hint));
        }
        Ok(Some(value))
    }

    /// A byte size as compose-go's `UnitBytes` reads it: an integer (negative allowed: `-1`
    /// is unlimited swap), or a string read by `strconv.ParseInt`, else by go-units
    /// `RAMInBytes` (`512m`, `1.5g`, `2GiB`). `None`: null.
    pub fn bytes(&self, node: &Node, via: &str) -> Result<Option<i64>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        if let Some(i) = node.as_i64() {
            return Ok(Some(i));
        }
        let hint = format!(
            "write a size in bytes or with a unit (b, k, m, g), e.g. `{}: 512m`",
            key_of(via)
        );
        let Some(text) = node.as_str().filter(|_| node.as_bool().is_none()) else {
            return Err(self.wrong_type(node, via, "a size", &hint));
        };
        if let Some(i) = parse_go_int(text) {
            return Ok(Some(i));
        }
        crate::values::parse_ram_bytes(text)
            .map(Some)
            .map_err(|e| self.bad_value(node, via, &format!("is not a size ({e})"), &hint))
    }

    /// The string under `key` of `item` (which is at `via`), as [`Self::string`] reads it;
    /// `None` when the key is absent or null.
    pub fn string_under(
        &mut self,
        item: &Node,
        key: &str,
        via: &str,
    ) -> Result<Option<String>, Diagnostic> {
        match item.get(key) {
            Some(node) => self.string(node, &format!("{via}.{key}")),
            None => Ok(None),
        }
    }

    /// A string. Numbers and booleans are taken as written with a warning: the Compose
    /// Specification wants a string there and `docker compose` refuses the file. `None`: null.
    pub fn string(&mut self, node: &Node, via: &str) -> Result<Option<String>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        let Some(scalar) = node.as_scalar() else {
            return Err(self.wrong_type(
                node,
                via,
                "a string",
                &format!("write `{}: <value>` on one line", key_of(via)),
            ));
        };
        if node.as_bool().is_some() || node.as_f64().is_some() {
            self.warn(
                node,
                format!(
                    "{} should be a string, but it is {}; docker compose refuses this file",
                    self.display(via),
                    node.type_name()
                ),
                Some(format!("quote it: `{}: \"{}\"`", key_of(via), scalar.text)),
            );
        }
        Ok(Some(scalar.text.clone()))
    }

    /// The text of a list item or mapping value that may be a string, a number or a boolean
    /// (`group_add`, `environment` values, `logging.options`).
    pub fn scalar_text<'n>(
        &self,
        node: &'n Node,
        via: &str,
        expected: &str,
    ) -> Result<&'n str, Diagnostic> {
        match node.as_scalar() {
            Some(s) => Ok(&s.text),
            None => Err(self.wrong_type(
                node,
                via,
                expected,
                "write a single value here, not a list or a mapping",
            )),
        }
    }

    /// A list. `None`: null.
    pub fn seq<'n>(
        &self,
        node: &'n Node,
        via: &str,
        example: &str,
    ) -> Result<Option<&'n [Node]>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        self.check_size(node, via)?;
        node.as_seq().map(Some).ok_or_else(|| {
            self.wrong_type(
                node,
                via,
                "a list",
                &format!("write it as a list: {example}"),
            )
        })
    }

    /// A mapping. `None`: null.
    pub fn map<'n>(
        &self,
        node: &'n Node,
        via: &str,
        example: &str,
    ) -> Result<Option<&'n [(Node, Node)]>, Diagnostic> {
        if node.is_null() {
            return Ok(None);
        }
        self.check_size(node, via)?;
        node.as_map().map(Some).ok_or_else(|| {
            self.wrong_type(
                node,
                via,
                "a mapping",
                &format!("write it as a mapping: {example}"),
            )
        })
    }

    /// A string or a list of strings (`tmpfs`, `env_file`): the nodes holding each string.
    pub fn string_or_list<'n>(
        &self,
        node: &'n Node,
        via: &str,
        example: &str,
    ) -> Result<Vec<(&'n Node, String)>, Diagnostic> {
        self.check_size(node, via)?;
        match &node.kind {
            _ if node.is_null() => Ok(Vec::new()),
            NodeKind::Scalar(_) => Ok(vec![(node, via.to_string())]),
            NodeKind::Seq(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, item)| (item, format!("{via}[{i}]")))
                .collect()),
            NodeKind::Map(_) => Err(self.wrong_type(
                node,
                via,
                "a string or a list",
                &format!("write it as a list: {example}"),
            )),
        }
    }

    /// The key of a mapping entry, which must be a string.
    pub fn key<'n>(&self, key: &'n Node, via: &str) -> Result<&'n str, Diagnostic> {
        key.as_str().ok_or_else(|| {
            self.wrong_type(
                key,
                via,
                "a mapping with string keys",
                "write `name: value` entries",
            )
        })
    }

    /// A `list_or_dict` value: a mapping `NAME: value` (value a string, number, boolean or
    /// null), or a list of `NAME=value` / `NAME` strings.
    pub fn list_or_dict<'n>(
        &self,
        node: &'n Node,
        via: &str,
        example: &str,
    ) -> Result<Vec<Entry<'n>>, Diagnostic> {
        self.check_size(node, via)?;
        let mut entries = Vec::new();
        match &node.kind {
            _ if node.is_null() => {}
            NodeKind::Map(pairs) => {
                for (key, value) in pairs {
                    let name = self.key(key, via)?;
                    let item_via = format!("{via}.{name}");
                    // `NAME: ${UNSET}` is the empty string (compose-go interpolates before
                    // typing), not a null that would inherit the caller's value.
                    let null =
                        value.is_null() && value.as_scalar().is_some_and(|s| s.original.is_none());
                    let text = if null {
                        None
                    } else {
                        Some(self.scalar_text(
                            value,
                            &item_via,
                            "a string, a number or a boolean",
                        )?)
                    };
                    entries.push(Entry {
                        name: name.to_string(),
                        value: text.map(str::to_string),
                        node: if null { key } else { value },
                        via: item_via,
                        from_list: false,
                    });
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_via = format!("{via}[{i}]");
                    let text = self.scalar_text(item, &item_via, "a `NAME=value` string")?;
                    let (name, value) = match text.split_once('=') {
                        Some((n, v)) => (n, Some(v.to_string())),
                        None => (text, None),
                    };
                    entries.push(Entry {
                        name: name.to_string(),
                        value,
                        node: item,
                        via: item_via,
                        from_list: true,
                    });
                }
            }
            NodeKind::Scalar(_) => {
                return Err(self.wrong_type(
                    node,
                    via,
                    "a mapping or a list",
                    &format!("write it as a mapping or a list: {example}"),
                ))
            }
        }
        Ok(entries)
    }
}

/// The key a `via` path ends with, for hints: `deploy.resources.limits.memory` → `memory`,
/// `ports[0]` → `ports`.
pub(crate) fn key_of(via: &str) -> &str {
    let last = via.rsplit('.').next().unwrap_or(via);
    last.split('[').next().unwrap_or(last)
}

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits only.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `strconv.ParseFloat` for the decimal forms compose files use (Rust's parser also takes
/// `inf`/`nan` spellings; those are refused, as they are no CPU count or ratio).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty()
        || s.bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return None;
    }
    s.parse().ok()
}
