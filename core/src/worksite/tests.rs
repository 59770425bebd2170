use chrono::NaiveDate;

use super::briefings::{self, Briefing};
use super::equipment::{self, Equipment, Kind, Receipt, Renewal};
use super::welcome::{self, WelcomeItem, WelcomeStep};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

fn worker() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[test]
fn a_welcome_step_is_keyed_by_worker_and_item_and_checked() {
    let w = worker();
    let step = WelcomeStep {
        worker_id: w.clone(),
        item_id: "visite".into(),
        title: " Visite du chantier ".into(),
        planned_on: "2026-12-08".into(),
        done_on: String::new(),
        note: String::new(),
    };
    let clean = welcome::validate(&step, today()).unwrap();
    assert_eq!(clean.title, "Visite du chantier");
    assert_eq!(
        clean.record_id(),
        welcome::step_id(&w, "visite"),
        "the same on every phone"
    );
    assert_ne!(clean.record_id(), welcome::step_id(&w, "equipe"));
    let bad = |f: fn(&mut WelcomeStep)| {
        let mut s = step.clone();
        f(&mut s);
        welcome::validate(&s, today()).unwrap_err()
    };
    assert_eq!(
        bad(|s| s.done_on = "2026-12-20".into()),
        "Une étape ne peut pas être faite dans le futur."
    );
    assert_eq!(
        bad(|s| s.planned_on = "08/12/2026".into()),
        "Indiquez le jour prévu au format jj/mm/aaaa."
    );
    assert!(bad(|s| s.planned_on = "2027-06-01".into()).contains("trois mois"));
    assert!(bad(|s| s.item_id = "../x".into()).contains("inconnue"));
    assert!(bad(|s| s.title = String::new()).contains("Étape"));

    let items = welcome::default_items();
    assert_eq!(items.len(), 8);
    let done = WelcomeStep {
        done_on: "2026-12-07".into(),
        ..clean.clone()
    };
    assert_eq!(welcome::progress(&items, &[clean, done.clone()]), (1, 8));
    assert_eq!(welcome::progress(&items, &[]), (0, 8));
}

#[test]
fn the_admins_checklist_needs_titles_and_unique_ids() {
    let item = |id: &str, title: &str| WelcomeItem {
        id: id.into(),
        title: title.into(),
    };
    assert!(welcome::check_items(vec![]).is_err());
    assert_eq!(
        welcome::check_items(vec![item("a", "  Remise du badge ")]).unwrap()[0].title,
        "Remise du badge"
    );
    assert!(
        welcome::check_items(vec![item("a", "x"), item("a", "y")])
            .unwrap_err()
            .contains("identifiant")
    );
    assert!(
        welcome::check_items(vec![item("a", "x"), item("b", "x")])
            .unwrap_err()
            .contains("déjà")
    );
    assert!(
        welcome::check_items(vec![item("a", "   ")])
            .unwrap_err()
            .contains("intitulé")
    );
    assert!(welcome::check_items(vec![item("a", "x"); 31]).is_err());
}

#[test]
fn equipment_is_checked_described_and_due_for_renewal() {
    let e = Equipment {
        worker_id: worker(),
        kind: Kind::SafetyShoes,
        label: String::new(),
        size: " 42 ".into(),
        quantity: 1,
        handed_on: "2026-12-07".into(),
        renew_on: "2027-12-07".into(),
        acknowledged_on: String::new(),
    };
    let clean = equipment::validate(&e, today()).unwrap();
    assert_eq!(clean.describe(), "Chaussures de sécurité, taille 42");
    assert_eq!(clean.renewal(today()), Renewal::Later);
    assert_eq!(
        clean.renewal(NaiveDate::from_ymd_opt(2027, 11, 20).unwrap()),
        Renewal::Soon
    );
    assert_eq!(
        clean.renewal(NaiveDate::from_ymd_opt(2027, 12, 7).unwrap()),
        Renewal::Due
    );
    let gloves = Equipment {
        kind: Kind::Gloves,
        quantity: 2,
        size: "9".into(),
        renew_on: String::new(),
        ..e.clone()
    };
    assert_eq!(
        equipment::validate(&gloves, today()).unwrap().describe(),
        "2 × Gants, taille 9"
    );
    assert_eq!(gloves.renewal(today()), Renewal::None);
    let bad = |f: fn(&mut Equipment)| {
        let mut x = e.clone();
        f(&mut x);
        equipment::validate(&x, today()).unwrap_err()
    };
    assert_eq!(
        bad(|x| x.kind = Kind::Other),
        "Précisez l'équipement remis."
    );
    assert_eq!(bad(|x| x.quantity = 0), "Quantité : entre 1 et 50.");
    assert_eq!(bad(|x| x.quantity = 500), "Quantité : entre 1 et 50.");
    assert!(bad(|x| x.handed_on = "2026-12-25".into()).contains("futur"));
    assert!(bad(|x| x.renew_on = "2026-12-01".into()).contains("suivre la remise"));
    assert!(bad(|x| x.acknowledged_on = "2026-12-01".into()).contains("suivre la remise"));
    assert!(bad(|x| x.size = "x".repeat(21)).contains("Taille"));

    let id = uuid::Uuid::now_v7().to_string();
    let receipt = Receipt {
        worker_id: e.worker_id.clone(),
        equipment_id: id.clone(),
        received_on: "2026-12-07".into(),
    };
    assert!(equipment::validate_receipt(&receipt, today()).is_ok());
    assert_eq!(
        receipt.record_id(),
        equipment::receipt_id(&id),
        "one receipt per piece"
    );
    let mut hostile = receipt.clone();
    hostile.equipment_id = "'; DROP TABLE equipment; --".into();
    assert!(equipment::validate_receipt(&hostile, today()).is_err());
}

#[test]
fn a_briefing_is_its_records_grouped_newest_first() {
    let team = uuid::Uuid::now_v7().to_string();
    let (first, second) = (
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::now_v7().to_string(),
    );
    let (a, b) = (worker(), worker());
    let line = |briefing: &str, day: &str, w: &str, present: bool| Briefing {
        briefing_id: briefing.into(),
        team_id: team.clone(),
        held_on: day.into(),
        topic: "Port des EPI".into(),
        notes: String::new(),
        worker_id: w.into(),
        present,
    };
    let records = [
        line(&first, "2026-11-30", &a, true),
        line(&second, "2026-12-07", &a, true),
        line(&first, "2026-11-30", &b, false),
        line(&second, "2026-12-07", &b, true),
    ];
    for r in &records {
        assert!(briefings::validate(r, today()).is_ok());
    }
    let held = briefings::held(&records);
    assert_eq!(held.len(), 2);
    assert_eq!(
        (held[0].held_on.as_str(), held[0].present.len()),
        ("2026-12-07", 2)
    );
    assert_eq!(
        (held[1].present.clone(), held[1].absent.clone()),
        (vec![a.clone()], vec![b.clone()])
    );
    assert_ne!(records[0].record_id(), records[1].record_id());
    let mut no_topic = records[0].clone();
    no_topic.topic = "  ".into();
    assert_eq!(
        briefings::validate(&no_topic, today()).unwrap_err(),
        "Écrivez le thème du quart d'heure sécurité."
    );
    let mut future = records[0].clone();
    future.held_on = "2026-12-20".into();
    assert!(briefings::validate(&future, today()).is_err());
}
