//! The printed documents (a bilan, an attestation of skills) as a plain
//! list of sections: the same one is shown on screen (with print styles)
//! and set as a PDF by the server, so both say exactly the same thing.
use serde::{Deserialize, Serialize};

use crate::wire::bilans::{AttestationView, BilanContent, BilanView, SkillLine};
use jalon_core::bilans::Audience;
use jalon_core::dates::french_date;
use jalon_core::sessions::Level;
use jalon_core::text::{french_spacing, plural};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    pub structure: String,
    pub title: String,
    pub subtitle: Vec<String>,
    /// At the foot of every page.
    pub footer: String,
    pub sections: Vec<Section>,
    pub signatures: Vec<Signature>,
    /// The QR code (SVG) and the lines beside it.
    pub qr: String,
    pub check: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// A table: its column titles and rows (each as long as `columns`).
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Signature {
    pub role: String,
    pub name: String,
    pub date: String,
}

impl Section {
    fn new(heading: &str) -> Section {
        Section {
            heading: heading.to_string(),
            ..Section::default()
        }
    }

    fn say(mut self, text: impl Into<String>) -> Section {
        let text = text.into();
        if !text.trim().is_empty() {
            self.paragraphs.push(text);
        }
        self
    }

    fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.rows.is_empty() && self.items.is_empty()
    }
}

impl Document {
    /// Every text in French typography (no-break spaces before `: ; ! ?`
    /// and inside « »), as a printed page needs.
    pub fn typeset(mut self) -> Document {
        let fix = |s: &mut String| *s = french_spacing(s);
        fix(&mut self.title);
        fix(&mut self.footer);
        self.subtitle.iter_mut().for_each(fix);
        self.check.iter_mut().for_each(fix);
        for s in &mut self.sections {
            fix(&mut s.heading);
            s.paragraphs.iter_mut().for_each(fix);
            s.columns.iter_mut().for_each(fix);
            s.rows.iter_mut().flatten().for_each(fix);
            s.items.iter_mut().for_each(fix);
        }
        for s in &mut self.signatures {
            fix(&mut s.role);
            fix(&mut s.name);
        }
        self
    }
}

fn period(from: &str, to: &str) -> String {
    format!("Du {} au {}", french_date(from), french_date(to))
}

fn skill_rows(skills: &[&SkillLine]) -> Vec<Vec<String>> {
    skills
        .iter()
        .map(|s| {
            vec![
                s.skill.clone(),
                s.level.label().to_string(),
                format!("{} — {}", french_date(&s.on), s.session),
            ]
        })
        .collect()
}

/// The sections of a bilan's content, as its audience may read it (the
/// content given is already `shown_to` that audience).
pub fn bilan_sections(content: &BilanContent, audience: Audience) -> Vec<Section> {
    let r = &content.records;
    let w = &content.words;
    let mut sections = Vec::new();

    let mut who = Section::new("Participants");
    who.items = w
        .participants
        .iter()
        .map(|p| {
            let org = if p.organisation.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.organisation)
            };
            format!("{} : {}{org}", p.role, p.name)
        })
        .collect();
    sections.push(who);

    let a = &r.attendance;
    let mut attendance = Section::new("Assiduité");
    attendance = attendance.say(match a.rate {
        Some(rate) => format!(
            "Taux de présence : {} % ({} demi-journées de présence sur {} pointées ; {} attendues).",
            format!("{rate:.1}").replace('.', ","),
            a.present_halves,
            a.pointed_halves,
            a.expected_halves
        ),
        None => "Aucune présence pointée sur la période.".to_string(),
    });
    if a.late_count > 0 {
        attendance = attendance.say(format!(
            "Retards : {} ({} minutes en tout).",
            a.late_count, a.late_minutes
        ));
    }
    if !a.absences.is_empty() {
        attendance.columns = vec!["Absences, par motif".into(), "Demi-journées".into()];
        attendance.rows = a
            .absences
            .iter()
            .map(|(label, n)| vec![label.clone(), n.to_string()])
            .collect();
    }
    sections.push(attendance.say(w.on_attendance.clone()));

    let mut barriers = Section::new("Freins");
    if !r.barriers.is_empty() {
        barriers.columns = vec![
            "Catégorie".into(),
            "Notés sur la période".into(),
            "Levés sur la période".into(),
            "À la fin de la période".into(),
        ];
        barriers.rows = r
            .barriers
            .iter()
            .map(|b| {
                vec![
                    b.category.clone(),
                    b.noted.to_string(),
                    b.lifted.to_string(),
                    if b.still_open {
                        "toujours présent"
                    } else {
                        "levé"
                    }
                    .to_string(),
                ]
            })
            .collect();
    }
    let barriers = barriers.say(w.on_barriers.clone());
    sections.push(if barriers.is_empty() {
        barriers.say("Aucun frein noté sur la période.")
    } else {
        barriers
    });

    let mut behaviours = Section::new("Comportements professionnels et points forts");
    behaviours.items = r
        .behaviours
        .iter()
        .map(|(label, n)| {
            format!(
                "{label} : {}",
                plural(*n as usize, "observation", "observations")
            )
        })
        .chain(
            r.strengths
                .iter()
                .map(|(day, text)| format!("Point fort, le {} : {text}", french_date(day))),
        )
        .collect();
    let behaviours = behaviours.say(w.on_behaviours.clone());
    if !behaviours.is_empty() {
        sections.push(behaviours);
    }

    let trade: Vec<&SkillLine> = r.skills.iter().filter(|s| !s.behaviour).collect();
    let soft: Vec<&SkillLine> = r.skills.iter().filter(|s| s.behaviour).collect();
    let acquired = r
        .skills
        .iter()
        .filter(|s| s.level == Level::Acquired)
        .count();
    let mut skills = Section::new("Compétences").say(if r.skills.is_empty() {
        "Aucune compétence évaluée jusqu'à la fin de la période.".to_string()
    } else {
        format!(
            "{} sur {} évaluées.",
            plural(acquired, "compétence acquise", "compétences acquises"),
            r.skills.len()
        )
    });
    if !trade.is_empty() {
        skills.columns = vec![
            "Compétence".into(),
            "Niveau".into(),
            "Dernière évaluation".into(),
        ];
        skills.rows = skill_rows(&trade);
    }
    sections.push(skills.say(w.on_skills.clone()));
    if !soft.is_empty() {
        let mut section = Section::new("Comportements évalués");
        section.columns = vec![
            "Comportement".into(),
            "Niveau".into(),
            "Dernière évaluation".into(),
        ];
        section.rows = skill_rows(&soft);
        sections.push(section);
    }

    let mut objectives = Section::new("Objectifs");
    objectives.items = r
        .objectives_reached
        .iter()
        .map(|t| format!("Atteint : {t}"))
        .chain(r.objectives_open.iter().map(|t| format!("En cours : {t}")))
        .chain(
            r.objectives_readjusted
                .iter()
                .map(|t| format!("Réajusté : {t}")),
        )
        .collect();
    let objectives = objectives.say(w.on_objectives.clone());
    if !objectives.is_empty() {
        sections.push(objectives);
    }

    if !content.added.is_empty() {
        let mut added = Section::new("Éléments ajoutés par la conseillère");
        added.items = content
            .added
            .iter()
            .map(|a| format!("{} — {} : {}", french_date(&a.day), a.category, a.text))
            .collect();
        sections.push(added);
    }
    if audience != Audience::Funder {
        let words = Section::new("Les mots de la personne").say(w.worker_words.clone());
        if !words.is_empty() {
            sections.push(words);
        }
    }
    sections.push(Section::new("Conclusions").say(w.conclusions.clone()));
    let mut next = Section::new("La suite").say(if w.orientation.trim().is_empty() {
        String::new()
    } else {
        format!("Orientation : {}", w.orientation)
    });
    next.items = w
        .next_objectives
        .iter()
        .map(|t| format!("Prochain objectif : {t}"))
        .collect();
    if !next.is_empty() {
        sections.push(next);
    }
    sections
}

/// A bilan as printed.
pub fn bilan(view: &BilanView) -> Document {
    let c = &view.content;
    let mut subtitle = vec![
        c.records.worker_name.clone(),
        period(&c.records.from, &c.records.to),
        format!("Destiné à : {}", view.audience.label().to_lowercase()),
    ];
    match (&view.validated_at, &view.validated_by) {
        (Some(at), Some(by)) => subtitle.push(format!("Validé le {} par {by}", french_date(at))),
        _ => subtitle.push("Brouillon : non validé".into()),
    }
    if view.version > 1 {
        subtitle.push(format!(
            "Version {} — correction : {}",
            view.version,
            view.correction_reason.clone().unwrap_or_default()
        ));
    }
    Document {
        structure: view.structure.clone(),
        title: view.kind.title().to_string(),
        subtitle,
        footer: format!("{} — {}", view.kind.title(), c.records.worker_name),
        sections: bilan_sections(c, view.audience),
        ..Document::default()
    }
    .typeset()
}

/// An attestation of skills as printed.
pub fn attestation(view: &AttestationView) -> Document {
    let c = &view.content;
    let mut sections = vec![Section::new("").say(format!(
        "{}, structure d'insertion par l'activité économique, atteste que {} a acquis, \
         au cours de son parcours ({}), dans le métier « {} », les compétences suivantes. \
         Chacune a été évaluée « acquise » par son encadrant technique, à la date et dans \
         la situation indiquées.",
        c.structure,
        c.worker_name,
        period(&c.from, &c.to).to_lowercase(),
        if c.trade.is_empty() { "—" } else { &c.trade },
    ))];
    let columns = vec![
        "Compétence".to_string(),
        "Acquise le".to_string(),
        "Situation".to_string(),
    ];
    for f in &c.frameworks {
        let mut s = Section::new(&f.framework);
        s.columns = columns.clone();
        s.rows = f
            .skills
            .iter()
            .map(|k| vec![k.skill.clone(), french_date(&k.on), k.situation.clone()])
            .collect();
        sections.push(s);
    }
    if !c.behaviours.is_empty() {
        let mut s = Section::new("Comportements professionnels acquis");
        s.columns = columns;
        s.rows = c
            .behaviours
            .iter()
            .map(|k| vec![k.skill.clone(), french_date(&k.on), k.situation.clone()])
            .collect();
        sections.push(s);
    }
    if let Some(w) = &view.withdrawn {
        sections.insert(
            0,
            Section::new("Attestation retirée").say(format!(
                "Retirée le {} : {}",
                french_date(&w.at),
                w.reason
            )),
        );
    }
    let signed = french_date(&c.signed_on);
    Document {
        structure: c.structure.clone(),
        title: "Attestation de compétences".into(),
        subtitle: vec![c.worker_name.clone(), period(&c.from, &c.to)],
        footer: format!("Code de vérification {}", view.code),
        sections,
        signatures: vec![
            Signature {
                role: "L'encadrant technique".into(),
                name: c.supervisor.clone(),
                date: format!("Le {signed}"),
            },
            Signature {
                role: "Le responsable de la structure".into(),
                name: c.head.clone(),
                date: format!("Le {signed}"),
            },
        ],
        qr: view.qr_svg.clone(),
        check: vec![
            "Pour vérifier cette attestation, scannez ce code ou ouvrez :".into(),
            view.verify_url.clone(),
            format!("Code de vérification : {}", view.code),
        ],
    }
    .typeset()
}

/// The structure's entry for Jalon in its processing register (GDPR
/// article 30), filled with its settings, for the admin to file.
pub fn register(f: &crate::wire::privacy::RegisterFacts) -> Document {
    let contact = if f.contact.is_empty() {
        "À compléter : le contact pour les données personnelles n'est pas encore renseigné dans Jalon (Conservation des données).".to_string()
    } else {
        f.contact.clone()
    };
    let years = plural(f.years as usize, "an", "ans");
    let sections = vec![
        Section::new("Responsable du traitement")
            .say(f.structure.clone())
            .say(format!("Contact pour les données personnelles : {contact}")),
        Section::new("Finalités")
            .say("Suivre le parcours d'insertion de chaque salarié : présences, observations de l'équipe, évaluations des séances d'apprentissage, objectifs de progression, bilans et attestations de compétences.")
            .say("Rendre compte aux financeurs et piloter la structure, par des chiffres qui ne nomment personne."),
        Section::new("Base légale")
            .say("Exécution de la mission d'accompagnement socioprofessionnel prévue par le conventionnement d'insertion par l'activité économique (code du travail, articles L5132-1 et suivants). Données de santé, de handicap et relatives à la justice : nécessaires à cet accompagnement social, lues par les seules personnes habilitées (RGPD, articles 9 et 10). À valider par la structure."),
        Section {
            items: vec![
                "Salariés en insertion.".into(),
                "Personnel de la structure : encadrant·es techniques, conseillères et conseillers en insertion (CIP), direction.".into(),
            ],
            ..Section::new("Personnes concernées")
        },
        Section {
            items: vec![
                "Identité et contact : nom, prénom, téléphone, identifiant de connexion.".into(),
                "Vie professionnelle : contrat, équipe, présences, compétences évaluées, objectifs, bilans, attestations.".into(),
                "Observations de l'équipe, dont des données sensibles (santé, handicap, justice) lues par leur auteur et la ou le CIP de la personne seulement, chaque lecture enregistrée.".into(),
                "Journal des actions : qui a fait quoi et quand, adresse IP des connexions.".into(),
            ],
            ..Section::new("Catégories de données")
        },
        Section {
            items: vec![
                "L'encadrant·e de l'équipe de la personne, sa ou son CIP, la direction, chacun pour ce que son rôle demande.".into(),
                if f.counsellors_see_all {
                    "Réglage de la structure : toutes les CIP voient tous les salariés.".into()
                } else {
                    "Réglage de la structure : chaque CIP voit seulement les salariés dont elle ou il est référent·e.".into()
                },
                "La personne elle-même, pour ce qui la concerne et lui est partagé.".into(),
                "Les financeurs : des chiffres d'ensemble ; un bilan qui leur est destiné ne contient aucune donnée sensible.".into(),
            ],
            ..Section::new("Destinataires")
        },
        Section::new("Durées de conservation")
            .say(format!("Pendant le parcours, puis {years} après le dernier contact (fin de contrat, présence, observation ou séance). Jalon anonymise alors la personne de lui-même : nom remplacé, textes libres et historiques supprimés ; il ne reste que des chiffres anonymes. Une conservation plus longue pour une obligation légale est décidée personne par personne, avec son motif, et tracée."))
            .say(format!("Sessions de connexion : {} jours sans activité, {} jours au plus. Sur un téléphone, les données servent au travail sans réseau et sont effacées à la déconnexion.", f.idle_days, f.absolute_days)),
        Section {
            items: vec![
                "Accès refusé par défaut ; une seule règle d'accès pour tout le logiciel, contrôlée par des tests automatiques.".into(),
                "Mots de passe et codes chiffrés (argon2id) ; connexions limitées après des échecs.".into(),
                "Lectures de données sensibles, exports et téléchargements enregistrés dans le journal.".into(),
                format!("Base de données {} sur le serveur choisi par la structure ; sauvegardes vérifiées par restauration.", f.engine),
            ],
            ..Section::new("Mesures de sécurité")
        },
        Section::new("Transferts hors de l'Union européenne")
            .say("Aucun par Jalon. L'hébergement est choisi par la structure : à préciser selon l'hébergeur."),
    ];
    Document {
        structure: f.structure.clone(),
        title: "Registre des traitements : suivi des parcours d'insertion (Jalon)".into(),
        subtitle: vec![format!("Fiche établie le {}", french_date(&f.today))],
        footer: format!("{} · registre des traitements", f.structure),
        sections,
        ..Document::default()
    }
    .typeset()
}

/// What the right-of-access document shows of each part of the export: its
/// heading, then (column, title) of the table; every row is listed.
type Columns = &'static [(&'static str, &'static str)];
const ACCESS_PARTS: &[(&str, &str, Columns)] = &[
    (
        "observations",
        "Observations de l'équipe",
        &[
            ("observed_on", "Date"),
            ("kind", "Type"),
            ("category", "Catégorie"),
            ("body", "Texte"),
        ],
    ),
    (
        "observation_replies",
        "Réponses aux observations",
        &[("created_at", "Date"), ("body", "Texte")],
    ),
    (
        "attendance",
        "Présences",
        &[
            ("day", "Jour"),
            ("slot", "Moment"),
            ("status", "État"),
            ("reason", "Motif"),
            ("reason_text", "Précision"),
        ],
    ),
    (
        "evaluations",
        "Séances d'apprentissage",
        &[
            ("held_on", "Date"),
            ("title", "Séance"),
            ("reflection", "Vos mots"),
        ],
    ),
    (
        "objectives",
        "Objectifs",
        &[
            ("title", "Objectif"),
            ("status", "État"),
            ("target_on", "Échéance"),
        ],
    ),
    (
        "objective_reactions",
        "Vos messages sur les objectifs",
        &[("said_on", "Date"), ("body", "Message")],
    ),
    (
        "welcome_steps",
        "Accueil",
        &[
            ("title", "Étape"),
            ("planned_on", "Prévue le"),
            ("done_on", "Faite le"),
        ],
    ),
    (
        "equipment",
        "Équipements de protection remis",
        &[
            ("kind", "Équipement"),
            ("size", "Taille"),
            ("quantity", "Quantité"),
            ("handed_on", "Remis le"),
        ],
    ),
    (
        "equipment_receipts",
        "Vos accusés de réception",
        &[("received_on", "Reçu le")],
    ),
    (
        "briefings",
        "Quarts d'heure sécurité",
        &[
            ("held_on", "Date"),
            ("topic", "Thème"),
            ("present", "Présent"),
        ],
    ),
    (
        "history",
        "Versions corrigées",
        &[
            ("changed_at", "Quand"),
            ("record_type", "Quoi"),
            ("reason", "Motif"),
        ],
    ),
    (
        "parcours_events",
        "Parcours",
        &[
            ("effective_on", "Date"),
            ("kind", "Événement"),
            ("reason", "Motif"),
        ],
    ),
    (
        "bilans",
        "Bilans",
        &[
            ("kind", "Type"),
            ("period_from", "Du"),
            ("period_to", "Au"),
            ("status", "État"),
        ],
    ),
    (
        "bilan_shares",
        "Bilans transmis",
        &[
            ("shared_at", "Quand"),
            ("recipient", "À qui"),
            ("name", "Nom"),
        ],
    ),
    (
        "attestations",
        "Attestations de compétences",
        &[
            ("issued_at", "Délivrée le"),
            ("code", "Code"),
            ("withdrawn_at", "Retirée le"),
        ],
    ),
    (
        "sensitive_reads",
        "Qui a lu vos notes sensibles",
        &[("at", "Quand"), ("reader", "Qui")],
    ),
    (
        "information_shown",
        "Information sur vos données",
        &[("version", "Version"), ("shown_at", "Montrée le")],
    ),
    (
        "requests",
        "Vos demandes sur vos données",
        &[
            ("asked_at", "Envoyée le"),
            ("kind", "Demande"),
            ("body", "Ce qui est inexact"),
            ("answered_at", "Réponse le"),
            ("answer", "Réponse"),
        ],
    ),
    (
        "phones",
        "Téléphones",
        &[("last_seen_at", "Dernière synchronisation")],
    ),
];

/// A stored code in words (« present » → « Présent »), where one is known.
fn code_label(part: &str, column: &str, code: &str) -> Option<String> {
    use jalon_core::{attendance, bilans, objectives, observations};
    let label = match (part, column) {
        ("attendance", "slot") => attendance::Slot::parse(code)?.label(),
        ("attendance", "status") => match code {
            "present" => "Présent",
            "absent" => "Absent",
            _ => return None,
        },
        ("attendance", "reason") => attendance::AbsenceReason::parse(code)?.label(),
        ("requests", "kind") => jalon_core::privacy::RequestKind::from_code(code)?.label(),
        ("observations", "kind") => observations::Kind::parse(code)?.label(),
        ("observations", "category") => observations::Category::parse(code)?.label(),
        ("objectives", "status") => objectives::Status::parse(code)?.label(),
        ("bilans", "kind") => bilans::Kind::from_code(code)?.title(),
        ("bilan_shares", "recipient") => bilans::Recipient::from_code(code)?.label(),
        _ => return None,
    };
    Some(label.to_string())
}

/// One stored value as the document shows it: a day or a timestamp as its
/// French day, a flag as oui / non, any other text as it is.
fn access_cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        Value::String(s) => {
            let dated = s.len() == 10 || s.as_bytes().get(10) == Some(&b'T');
            match s.get(..10) {
                Some(day) if dated && french_date(day) != day => french_date(day),
                _ => s.clone(),
            }
        }
        other => other.to_string(),
    }
}

/// The right-of-access export in plain French: one table per part, every row.
pub fn access(export: &serde_json::Value) -> Document {
    let text = access_cell;
    let sections = &export["sections"];
    let file = &sections["file"][0];
    let name = format!("{} {}", text(&file["first_name"]), text(&file["last_name"]));
    let mut parts = vec![
        Section::new("Votre dossier")
            .say(format!("Nom : {name}"))
            .say(format!(
                "Contrat : du {} au {}",
                text(&file["contract_start"]),
                text(&file["contract_end"])
            ))
            .say(format!("Téléphone : {}", text(&file["phone"])))
            .say(format!(
                "Identifiant : {}",
                text(&sections["account"][0]["login"])
            )),
    ];
    for (key, heading, columns) in ACCESS_PARTS {
        let list = sections[*key].as_array().cloned().unwrap_or_default();
        let mut section = Section::new(heading);
        if list.is_empty() {
            section = section.say("Rien d'enregistré.");
        } else {
            section.columns = columns.iter().map(|(_, title)| title.to_string()).collect();
            section.rows = list
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|(column, _)| {
                            let value = text(&row[*column]);
                            code_label(key, column, &value).unwrap_or(value)
                        })
                        .collect()
                })
                .collect();
        }
        parts.push(section);
    }
    let structure = export["structure"].as_str().unwrap_or_default().to_string();
    Document {
        structure: structure.clone(),
        title: format!("Ce que Jalon contient sur {name}"),
        subtitle: vec![format!(
            "Droit d'accès (RGPD, article 15) · produit le {} par {}",
            text(&export["produced_at"]),
            text(&export["produced_by"])
        )],
        footer: format!("{structure} · droit d'accès de {name}"),
        sections: parts,
        ..Document::default()
    }
    .typeset()
}

#[cfg(test)]
mod tests {
    use super::access_cell;
    use serde_json::json;

    #[test]
    fn access_cells_show_days_in_french_and_any_typed_text_as_it_is() {
        assert_eq!(access_cell(&json!("2026-12-06")), "06/12/2026");
        assert_eq!(access_cell(&json!("2026-12-06T09:30:00Z")), "06/12/2026");
        assert_eq!(access_cell(&json!(true)), "oui");
        assert_eq!(access_cell(&json!(null)), "");
        // Typed text that starts like a day, even cut inside a letter.
        assert_eq!(
            access_cell(&json!("2026-12-éé rendez-vous")),
            "2026-12-éé rendez-vous"
        );
        assert_eq!(
            access_cell(&json!("2026-12-06 : arrivé tard")),
            "2026-12-06 : arrivé tard"
        );
    }
}
