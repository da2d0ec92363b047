//! Users and groups a `RUN` line adds, read from the command words
//! (best effort): shadow's `useradd`/`groupadd`, Debian's
//! `adduser`/`addgroup` and busybox's (Alpine's) `adduser`/`addgroup`,
//! which spell their options differently (`-g` is the GECOS for busybox,
//! the primary group for `useradd`).
//!
//! When no id is given, the id the tool would pick is simulated from the
//! accounts already known: system accounts from 100 up (busybox, Debian's
//! adduser) or from 999 down (`useradd -r`), others from 1000 up.

type Ids = Vec<(String, u32)>;

/// The options that take a value, per tool (both `-x V` and `--long=V`).
const USERADD_VALUED: &[&str] = &[
    "-u",
    "--uid",
    "-g",
    "--gid",
    "-G",
    "--groups",
    "-s",
    "--shell",
    "-d",
    "--home-dir",
    "--home",
    "-c",
    "--comment",
    "-k",
    "--skel",
    "-p",
    "--password",
    "-e",
    "--expiredate",
    "-f",
    "--inactive",
    "-K",
    "--key",
    "-b",
    "--base-dir",
    "-Z",
    "--selinux-user",
    "--firstuid",
    "--lastuid",
    "--ingroup",
    "--gecos",
    "--conf",
    "--add_extra_groups",
    "--extrausers",
];
const BUSYBOX_VALUED: &[&str] = &["-h", "-g", "-s", "-G", "-u", "-k"];

/// Options and positional words of a command line.
struct Parsed {
    opts: Vec<(String, Option<String>)>,
    positional: Vec<String>,
}

impl Parsed {
    fn new(words: &[String], valued: &[&str]) -> Parsed {
        let mut opts = Vec::new();
        let mut positional = Vec::new();
        let mut it = words.iter();
        while let Some(w) = it.next() {
            if let Some((k, v)) = w.split_once('=').filter(|_| w.starts_with("--")) {
                opts.push((k.to_string(), Some(v.to_string())));
            } else if w.starts_with('-') && w.len() > 1 {
                // Busybox style bundles flags: `-SDH` is `-S -D -H`.
                if !w.starts_with("--") && w.len() > 2 && !valued.contains(&&w[..2]) {
                    for c in w[1..].chars() {
                        opts.push((format!("-{c}"), None));
                    }
                    continue;
                }
                if !w.starts_with("--") && w.len() > 2 {
                    // `-u1000`
                    opts.push((w[..2].to_string(), Some(w[2..].to_string())));
                    continue;
                }
                let value = if valued.contains(&w.as_str()) {
                    it.next().cloned()
                } else {
                    None
                };
                opts.push((w.clone(), value));
            } else {
                positional.push(w.clone());
            }
        }
        Parsed { opts, positional }
    }

    fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(k, _)| names.contains(&k.as_str()))
    }

    fn value(&self, names: &[&str]) -> Option<&str> {
        self.opts
            .iter()
            .rev()
            .find(|(k, v)| names.contains(&k.as_str()) && v.is_some())
            .and_then(|(_, v)| v.as_deref())
    }

    fn number(&self, names: &[&str]) -> Option<u32> {
        self.value(names).and_then(|v| v.parse().ok())
    }
}

/// The id a tool picks: the lowest free id from `low` up, or the highest
/// free one from `high` down.
fn free_id(taken: &Ids, low: u32, high: u32, descending: bool) -> u32 {
    let used = |id: u32| taken.iter().any(|(_, t)| *t == id);
    let found = if descending {
        (low..=high).rev().find(|&id| !used(id))
    } else {
        (low..=high).find(|&id| !used(id))
    };
    found.unwrap_or(high)
}

fn add(ids: &mut Ids, name: &str, id: u32) {
    if valid_name(name) && !ids.iter().any(|(n, _)| n == name) {
        ids.push((name.to_string(), id));
    }
}

/// A user or group name as written literally (not `$USER`, not a path).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.starts_with('-')
}

/// Applies one account command to `users` and `groups`.
pub fn apply(program: &str, words: &[String], busybox: bool, users: &mut Ids, groups: &mut Ids) {
    match (program, busybox) {
        ("useradd", _) => useradd(words, users, groups),
        ("groupadd", _) => groupadd(words, groups),
        ("adduser", true) => busybox_adduser(words, users, groups),
        ("addgroup", true) => busybox_addgroup(words, groups),
        ("adduser", false) => debian_adduser(words, users, groups),
        ("addgroup", false) => debian_addgroup(words, groups),
        _ => {}
    }
}

fn useradd(words: &[String], users: &mut Ids, groups: &mut Ids) {
    let p = Parsed::new(words, USERADD_VALUED);
    let Some(name) = p.positional.last() else {
        return;
    };
    let system = p.has(&["-r", "--system"]);
    let uid = p.number(&["-u", "--uid"]).unwrap_or_else(|| {
        if system {
            free_id(users, 100, 999, true)
        } else {
            free_id(users, 1000, 60000, false)
        }
    });
    add(users, name, uid);
    // USERGROUPS_ENAB: a group named after the user, unless one is given.
    if p.value(&["-g", "--gid"]).is_none() && !p.has(&["-N", "--no-user-group"]) {
        let gid = if groups.iter().any(|(_, g)| *g == uid) {
            free_id(groups, if system { 100 } else { 1000 }, 60000, system)
        } else {
            uid
        };
        add(groups, name, gid);
    }
}

fn groupadd(words: &[String], groups: &mut Ids) {
    let p = Parsed::new(words, &["-g", "--gid", "-K", "--key", "-p", "--password"]);
    let Some(name) = p.positional.last() else {
        return;
    };
    let system = p.has(&["-r", "--system"]);
    let gid = p.number(&["-g", "--gid"]).unwrap_or_else(|| {
        if system {
            free_id(groups, 100, 999, true)
        } else {
            free_id(groups, 1000, 60000, false)
        }
    });
    add(groups, name, gid);
}

/// Busybox: `adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GRP] [-S] [-D]
/// [-H] [-u UID] USER [GROUP]`; without `-G` it creates a group named
/// after the user; `adduser USER GROUP` only adds USER to GROUP.
fn busybox_adduser(words: &[String], users: &mut Ids, groups: &mut Ids) {
    let p = Parsed::new(words, BUSYBOX_VALUED);
    let (name, existing_group) = match p.positional.as_slice() {
        [name] => (name, false),
        [user, _group] if users.iter().any(|(n, _)| n == user) => return,
        [name, _group] => (name, true),
        _ => return,
    };
    let system = p.has(&["-S"]);
    let uid = p
        .number(&["-u"])
        .unwrap_or_else(|| free_id(users, if system { 100 } else { 1000 }, 60000, false));
    add(users, name, uid);
    if p.value(&["-G"]).is_none() && !existing_group {
        let gid = if groups.iter().any(|(_, g)| *g == uid) {
            free_id(groups, if system { 100 } else { 1000 }, 60000, false)
        } else {
            uid
        };
        add(groups, name, gid);
    }
}

/// Busybox: `addgroup [-g GID] [-S] GROUP` or `addgroup USER GROUP`.
fn busybox_addgroup(words: &[String], groups: &mut Ids) {
    let p = Parsed::new(words, BUSYBOX_VALUED);
    let [name] = p.positional.as_slice() else {
        return;
    };
    let system = p.has(&["-S"]);
    let gid = p
        .number(&["-g"])
        .unwrap_or_else(|| free_id(groups, if system { 100 } else { 1000 }, 60000, false));
    add(groups, name, gid);
}

/// Debian: `adduser [--system] [--uid ID] [--gid ID | --ingroup GRP]
/// [--group] USER`; a system user gets a group of its own only with
/// `--group`, a normal user always.
fn debian_adduser(words: &[String], users: &mut Ids, groups: &mut Ids) {
    let p = Parsed::new(words, USERADD_VALUED);
    let Some(name) = p.positional.first() else {
        return;
    };
    if p.positional.len() > 1 {
        // `adduser USER GROUP` adds an existing user to a group.
        return;
    }
    let system = p.has(&["--system"]);
    let uid = p
        .number(&["--uid"])
        .unwrap_or_else(|| free_id(users, if system { 100 } else { 1000 }, 60000, false));
    add(users, name, uid);
    if p.value(&["--ingroup"]).is_none() && (!system || p.has(&["--group"])) {
        let gid = p.number(&["--gid"]).unwrap_or(uid);
        add(groups, name, gid);
    }
}

fn debian_addgroup(words: &[String], groups: &mut Ids) {
    let p = Parsed::new(words, USERADD_VALUED);
    let [name] = p.positional.as_slice() else {
        return;
    };
    let system = p.has(&["--system"]);
    let gid = p
        .number(&["--gid"])
        .unwrap_or_else(|| free_id(groups, if system { 100 } else { 1000 }, 60000, false));
    add(groups, name, gid);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn shadow_tools() {
        let (mut u, mut g) = (Ids::new(), Ids::new());
        apply("groupadd", &words("--gid 1000 node"), false, &mut u, &mut g);
        apply(
            "useradd",
            &words("--uid 1000 --gid node --shell /bin/bash --create-home node"),
            false,
            &mut u,
            &mut g,
        );
        apply(
            "groupadd",
            &words("-r postgres --gid=999"),
            false,
            &mut u,
            &mut g,
        );
        apply(
            "useradd",
            &words("-r -g postgres --uid=999 --home-dir=/var/lib/postgresql postgres"),
            false,
            &mut u,
            &mut g,
        );
        apply("useradd", &words("-r app"), false, &mut u, &mut g);
        assert_eq!(
            u,
            [
                ("node".into(), 1000),
                ("postgres".into(), 999),
                ("app".into(), 998)
            ]
        );
        assert_eq!(
            g,
            [
                ("node".into(), 1000),
                ("postgres".into(), 999),
                ("app".into(), 998)
            ]
        );
    }

    #[test]
    fn busybox_tools() {
        let (mut u, mut g) = (Ids::new(), Ids::new());
        apply(
            "addgroup",
            &words("-g 70 -S postgres"),
            true,
            &mut u,
            &mut g,
        );
        apply(
            "adduser",
            &words("-u 70 -S -D -G postgres -H -h /var/lib/postgresql -s /bin/sh postgres"),
            true,
            &mut u,
            &mut g,
        );
        apply("adduser", &words("-SDH nginx"), true, &mut u, &mut g);
        apply("addgroup", &words("nginx www-data"), true, &mut u, &mut g);
        assert_eq!(u, [("postgres".into(), 70), ("nginx".into(), 100)]);
        assert_eq!(g, [("postgres".into(), 70), ("nginx".into(), 100)]);
    }
}
