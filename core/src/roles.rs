//! The four roles and the signed-in person as every screen knows them.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Supervisor,
    Counsellor,
    Worker,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Counsellor => "counsellor",
            Role::Worker => "worker",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "counsellor" => Some(Role::Counsellor),
            "worker" => Some(Role::Worker),
            _ => None,
        }
    }

    /// The role as staff screens name it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Responsable",
            Role::Supervisor => "Encadrant·e technique",
            Role::Counsellor => "CIP",
            Role::Worker => "Salarié·e",
        }
    }
}

/// The signed-in person, as every screen knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub structure_id: String,
    pub structure_name: String,
    pub structure_is_demo: bool,
    pub display_name: String,
    pub login: String,
    pub role: Role,
    /// Structure setting: the roll call is taken per half-day.
    #[serde(default)]
    pub half_days: bool,
}
