//! An image family's facts while the generator builds them, and the steps
//! a Dockerfile applies on top of its base image's facts.

use berth::model::catalog::{Libc, Os};

use crate::accounts;

/// What `berth::model::catalog::ImageFacts` holds, owned.
#[derive(Clone, Debug)]
pub struct Facts {
    pub repository: String,
    pub variant: String,
    pub tags: Vec<String>,
    pub os: Os,
    pub release: String,
    pub libc: Libc,
    pub package_manager: Option<String>,
    pub has_shell: bool,
    pub env: Vec<(String, String)>,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub entrypoint: Option<String>,
    pub cmd: Option<String>,
    pub users: Vec<(String, u32)>,
    pub groups: Vec<(String, u32)>,
    pub exposed: Vec<String>,
    pub source: String,
}

impl Facts {
    /// A root filesystem's facts: nothing set beyond the distribution.
    pub fn root(os: Os, libc: Libc, package_manager: Option<&str>, has_shell: bool) -> Facts {
        Facts {
            repository: String::new(),
            variant: String::new(),
            tags: Vec::new(),
            os,
            release: String::new(),
            libc,
            package_manager: package_manager.map(str::to_string),
            has_shell,
            env: Vec::new(),
            user: None,
            workdir: None,
            entrypoint: None,
            cmd: None,
            users: Vec::new(),
            groups: Vec::new(),
            exposed: Vec::new(),
            source: String::new(),
        }
    }

    pub fn env(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `name` as Docker's image config does: a redefinition keeps the
    /// variable's place.
    pub fn set_env(&mut self, name: &str, value: String) {
        match self.env.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.env.push((name.to_string(), value)),
        }
    }

    /// Applies one Dockerfile's steps on top of these (base) facts.
    pub fn apply(&mut self, steps: &[Step]) {
        // Build ARGs are visible to later instructions of the build, not
        // to the image: kept aside for expansion only.
        let mut args: Vec<(String, String)> = Vec::new();
        let mut cmd_set = false;
        for step in steps {
            match step {
                Step::Arg(name, value) => {
                    if let Some(v) = value {
                        let v = self.expand(v, &args);
                        args.retain(|(n, _)| n != name);
                        args.push((name.clone(), v));
                    }
                }
                Step::Env(name, value) => {
                    let v = self.expand(value, &args);
                    self.set_env(name, v);
                }
                Step::User(u) => self.user = Some(self.expand(u, &args)),
                Step::Workdir(w) => {
                    let w = self.expand(w, &args);
                    self.workdir = Some(match &self.workdir {
                        Some(prev) if !w.starts_with('/') => {
                            format!("{}/{w}", prev.trim_end_matches('/'))
                        }
                        _ => w,
                    });
                }
                Step::Entrypoint(e) => {
                    self.entrypoint = Some(e.clone());
                    // Docker resets an inherited CMD when ENTRYPOINT is set.
                    if !cmd_set {
                        self.cmd = None;
                    }
                }
                Step::Cmd(c) => {
                    self.cmd = Some(c.clone());
                    cmd_set = true;
                }
                Step::Expose(ports) => {
                    for p in ports {
                        let p = self.expand(p, &args);
                        if !self.exposed.contains(&p) {
                            self.exposed.push(p);
                        }
                    }
                }
                Step::Account(program, words) => {
                    let words: Vec<String> = words.iter().map(|w| self.expand(w, &args)).collect();
                    let busybox = matches!(self.os, Os::Alpine | Os::Busybox);
                    accounts::apply(program, &words, busybox, &mut self.users, &mut self.groups);
                }
            }
        }
    }

    /// `$VAR` and `${VAR}` expanded from the environment and the build
    /// ARGs; the text as written when a variable has no known value.
    fn expand(&self, text: &str, args: &[(String, String)]) -> String {
        if !text.contains('$') {
            return text.to_string();
        }
        let lookup = |name: &str| -> Option<Option<String>> {
            args.iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .or_else(|| self.env(name).map(str::to_string))
                .map(Some)
        };
        berth::model::expand(text, b'\\', &lookup, 0).unwrap_or_else(|| text.to_string())
    }
}

/// What one instruction of a Dockerfile does to the image's facts.
#[derive(Clone, Debug)]
pub enum Step {
    Arg(String, Option<String>),
    Env(String, String),
    User(String),
    Workdir(String),
    Entrypoint(String),
    Cmd(String),
    Expose(Vec<String>),
    /// `useradd`/`adduser`/`groupadd`/`addgroup` with its argument words.
    Account(String, Vec<String>),
}
