use super::*;

#[test]
fn shipped_frameworks_are_valid_with_two_to_four_criteria_per_skill() {
    let all = defaults::all();
    assert_eq!(all.len(), 4);
    let behaviours = &all[0].1;
    assert_eq!(behaviours.kind, FrameworkKind::Behaviours);
    let titles: Vec<&str> = behaviours.skills.iter().map(|s| s.title.as_str()).collect();
    for expected in [
        "Ponctualité",
        "Assiduité",
        "Respect des consignes",
        "Sécurité et EPI",
        "Travail en équipe",
        "Autonomie",
        "Communication",
        "Soin du matériel",
        "Adaptation au changement",
    ] {
        assert!(titles.contains(&expected), "{expected} missing");
    }
    for (key, f) in &all {
        let checked = check_framework(f.clone()).expect(key);
        assert!(checked.skills.len() >= 5, "{key}");
        for s in &checked.skills {
            assert!((2..=4).contains(&s.criteria.len()), "{key}/{}", s.id);
            assert_eq!(check_skill(s.clone()).as_ref(), Ok(s), "{key}/{}", s.id);
        }
        // What is exported reads back the same.
        assert_eq!(parse_file(&to_file(f)), Ok(f.clone()), "{key}");
    }
    let trades: Vec<&str> = all.iter().skip(1).map(|(_, f)| f.title.as_str()).collect();
    assert_eq!(
        trades,
        [
            "Espaces verts",
            "Second œuvre du bâtiment",
            "Tri et réemploi textile"
        ]
    );
}

fn file_with(skills: &str) -> String {
    format!(
        "{{\n  \"format\": \"jalon-referentiel\",\n  \"version\": 1,\n  \"title\": \"Maraîchage\",\n  \"kind\": \"trade\",\n  \"skills\": [\n{skills}\n  ]\n}}\n"
    )
}

const GOOD: &str = r#"    {
      "id": "semis",
      "domain": "Cultures",
      "title": "Semer",
      "criteria": [
        { "id": "semis-1", "text": "Prépare la terre" },
        { "id": "semis-2", "text": "Sème à la bonne profondeur" }
      ]
    }"#;

#[test]
fn a_good_file_is_read() {
    let f = parse_file(&file_with(GOOD)).expect("good file");
    assert_eq!(f.title, "Maraîchage");
    assert_eq!(f.skills[0].criteria.len(), 2);
}

#[test]
fn import_errors_name_their_line_and_reason() {
    // A skill without criteria: the line of its title (line 19).
    let empty = r#"    {
      "id": "recolte",
      "domain": "Cultures",
      "title": "Récolter",
      "criteria": []
    }"#;
    let err = parse_file(&file_with(&format!("{GOOD},\n{empty}"))).unwrap_err();
    assert_eq!(err.line, 19, "{err:?}");
    assert!(err.reason.contains("« Récolter »"), "{err:?}");
    assert!(err.reason.contains("aucun critère"), "{err:?}");
    assert_eq!(
        err.sentence(),
        format!("Fichier refusé, ligne 19 : {}", err.reason)
    );

    // A missing comma between two criteria.
    let broken = GOOD.replace("profondeur\" }", "profondeur\" } {");
    let err = parse_file(&file_with(&broken)).unwrap_err();
    assert_eq!(err.line, 13, "{err:?}");
    assert!(err.reason.starts_with("JSON mal formé"), "{err:?}");

    // Missing and unknown fields, a bad kind, a bad id, duplicates.
    let cases: Vec<(String, &str)> = vec![
        (
            GOOD.replace("\"title\": \"Semer\",", ""),
            "champ « title » manquant",
        ),
        (
            GOOD.replace("\"domain\"", "\"domaine\""),
            "champ « domaine » inconnu",
        ),
        (
            GOOD.replace("\"semis\"", "\"semis d'été\""),
            "identifiant « semis d'été » invalide",
        ),
        (
            GOOD.replace("semis-2", "semis-1"),
            "deux critères ont l'identifiant « semis-1 »",
        ),
        (
            format!("{GOOD},\n{GOOD}"),
            "deux compétences ont l'identifiant « semis »",
        ),
        (
            GOOD.replace("Prépare la terre", &"x".repeat(400)),
            "trop long (400 caractères, au plus 300)",
        ),
    ];
    for (skills, says) in cases {
        let err = parse_file(&file_with(&skills)).unwrap_err();
        assert!(err.reason.contains(says), "{says}: {err:?}");
    }
    let bad_kind = file_with(GOOD).replace("\"trade\"", "\"métier\"");
    assert!(
        parse_file(&bad_kind)
            .unwrap_err()
            .reason
            .contains("« métier » inconnue")
    );
    let not_ours = file_with(GOOD).replace("jalon-referentiel", "autre");
    assert_eq!(parse_file(&not_ours).unwrap_err().line, 0);
    assert!(parse_file("").unwrap_err().reason.contains("vide"));
    assert!(
        parse_file("{\"format\": ")
            .unwrap_err()
            .reason
            .contains("trop tôt")
    );
    let huge = " ".repeat(MAX_FILE_BYTES + 1);
    assert!(parse_file(&huge).unwrap_err().reason.contains("trop gros"));
    assert!(
        parse_file(&file_with(""))
            .unwrap_err()
            .reason
            .contains("aucune compétence")
    );
}

#[test]
fn hostile_text_is_kept_as_text_and_tidied() {
    let hostile = GOOD.replace("Semer", "<script>alert('x')</script>  Semer'; DROP TABLE--");
    let f = parse_file(&file_with(&hostile)).expect("text is text");
    assert_eq!(
        f.skills[0].title,
        "<script>alert('x')</script> Semer'; DROP TABLE--"
    );
}

#[test]
fn the_editor_form_adds_ids_and_drops_blank_criteria() {
    let form = serde_json::json!({
        "id": "",
        "domain": " Taille ",
        "title": "Tailler une haie",
        "criteria": [
            { "id": "", "text": "Taille droit" },
            { "id": "", "text": "   " },
            { "id": "old-1", "text": "Ramasse les coupes" }
        ]
    });
    let s = skill_from_form(&form).expect("form");
    assert!(s.id.starts_with("tailler-une-haie-"), "{}", s.id);
    assert_eq!(s.domain, "Taille");
    assert_eq!(s.criteria.len(), 2);
    assert!(s.criteria[0].id.starts_with("taille-droit-"));
    assert_eq!(s.criteria[1].id, "old-1");
    let none = serde_json::json!({ "title": "Sans critère", "criteria": [] });
    assert!(
        skill_from_form(&none)
            .unwrap_err()
            .contains("aucun critère")
    );
    assert!(is_id(&new_id("Éé à ç !")));
}
