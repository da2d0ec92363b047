//! Package manager rules (apt, apk, yum, dnf, zypper, pip, npm, gem, go...)
//! on the shell commands of RUN instructions.

use crate::rules::Rule;

mod apk_no_cache;
mod apk_pin;
mod apt;
mod apt_get_pin;
mod apt_get_recommends;
mod apt_get_yes;
mod apt_lists;
mod dnf_clean;
mod dnf_pin;
mod dnf_yes;
mod gem_pin;
mod go_pin;
mod npm_pin;
mod pip_no_cache;
mod pip_pin;
mod rpm_pin;
pub(crate) mod util;
mod yarn_cache;
mod yum_clean;
mod yum_pin;
mod yum_yes;
mod zypper_clean;
mod zypper_dist_upgrade;
mod zypper_pin;
mod zypper_yes;

pub static RULES: &[Rule] = &[
    apt_get_pin::RULE,
    apt_lists::RULE,
    pip_pin::RULE,
    apt_get_yes::RULE,
    apt_get_recommends::RULE,
    npm_pin::RULE,
    apk_pin::RULE,
    apk_no_cache::RULE,
    apt::RULE,
    gem_pin::RULE,
    yum_yes::RULE,
    yum_clean::RULE,
    yum_pin::RULE,
    zypper_yes::RULE,
    zypper_dist_upgrade::RULE,
    zypper_clean::RULE,
    zypper_pin::RULE,
    dnf_yes::RULE,
    dnf_clean::RULE,
    dnf_pin::RULE,
    pip_no_cache::RULE,
    yarn_cache::RULE,
    go_pin::RULE,
];
