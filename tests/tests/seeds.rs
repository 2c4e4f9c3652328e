//! The generated models of the seed specs: the behaviour the vendor pages need.

use serde_json::json;

#[test]
fn chat_patch_sends_null_to_clear_and_omits_to_keep() {
    use ambassador_models::UpdateChatAmbassadorRequest as Body;
    let clear = Body::new().email_tmp(None);
    let keep = Body::new();
    let set = Body::new().email_tmp("new@example.com".to_owned());
    assert_eq!(keep, Body::default());
    assert_eq!(
        serde_json::to_string(&clear).unwrap(),
        r#"{"email_tmp":null}"#
    );
    assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
    assert_eq!(
        serde_json::to_string(&set).unwrap(),
        r#"{"email_tmp":"new@example.com"}"#
    );
}

#[test]
fn me_patch_has_all_64_optional_fields_and_a_default() {
    let body = ambassador_models::UpdateMeRequest::default()
        .linked_in_account("https://linkedin.example/me".to_owned())
        .notification_chat(false);
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"linkedIn_account": "https://linkedin.example/me", "notification_chat": false})
    );
}

#[test]
fn create_requires_firstname_lastname_and_email() {
    let err = serde_json::from_value::<ambassador_models::CreateAmbassadorRequest>(json!({
        "firstname": "Ada", "lastname": "Lovelace"
    }))
    .unwrap_err();
    assert!(err.to_string().contains("missing field `email`"), "{err}");
}

#[test]
fn validation_errors_are_a_map_of_field_messages() {
    let body: ambassador_models::ValidationError = serde_json::from_value(json!({
        "message": "email is required!",
        "errors": {"email": ["The email field is required."]}
    }))
    .unwrap();
    assert_eq!(
        body.errors.unwrap()["email"],
        ["The email field is required."]
    );
}

#[test]
fn i18n_lang_is_open() {
    use ambassador_models::I18nLang;
    assert_eq!(
        serde_json::from_value::<I18nLang>(json!("de_DE")).unwrap(),
        I18nLang::DeDe
    );
    assert_eq!(
        serde_json::from_value::<I18nLang>(json!("it_IT")).unwrap(),
        I18nLang::Unknown("it_IT".into())
    );
}

#[test]
fn ambassador_address_keeps_the_extra_fields_of_the_page() {
    let a: ambassador_models::AmbassadorAddressGeocode = serde_json::from_value(json!({
        "city": "Paris", "status_role": "employee", "alerts": [1, 2.5], "unlisted": true
    }))
    .unwrap();
    assert_eq!(a.alerts, Some(vec![1.0, 2.5]));
    assert_eq!(a.additional_properties["unlisted"], json!(true));
}

/// What the server sends beyond the spec is kept, and a caller can send what the spec leaves
/// out: an object schema that says nothing of other properties allows them.
#[test]
fn undocumented_properties_are_kept_both_ways() {
    let user: imichat_models::User =
        serde_json::from_value(json!({"active_chats": 2, "added_later": {"a": [1]}})).unwrap();
    assert_eq!(user.additional_properties["added_later"], json!({"a": [1]}));
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"active_chats": 2, "added_later": {"a": [1]}})
    );
    let extra = std::collections::BTreeMap::from([("beta_flag".to_owned(), json!(true))]);
    let sent = imichat_models::UpdateUserRequest::new()
        .status(imichat_models::UserStatus::Inactive)
        .additional_properties(extra);
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({"status": "inactive", "beta_flag": true})
    );
}

#[test]
fn chat_status_codes_are_named_and_unknown_codes_kept() {
    use imichat_models::{ErrorEnvelope, StatusCode};
    let e: ErrorEnvelope = serde_json::from_value(
        json!({"status_code": 3101, "description": "Requested user was not found"}),
    )
    .unwrap();
    assert_eq!(e.status_code, StatusCode::UserNotFound);
    assert_eq!(StatusCode::VALUES.len(), 13);
    let odd: StatusCode = serde_json::from_value(json!(9999)).unwrap();
    assert_eq!(odd, StatusCode::Unknown(9999));
}

#[test]
fn erp_request_wraps_the_participant_in_data() {
    let participant = iw_erp_models::ChatroomParticipant::new().is_muted(true);
    let body = iw_erp_models::ChatroomParticipantUpdate::new(participant);
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"data": {"is_muted": true}})
    );
}

#[test]
fn generation_is_deterministic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    for shown in [
        "specs/ambassador/openapi.yaml",
        "specs/imichat.yaml",
        "specs/iw-erp.yaml",
    ] {
        let spec = root.join(shown);
        let first = codegen::Config::new()
            .generate(&spec, shown, &codegen::nothing_before)
            .unwrap()
            .files;
        for _ in 0..5 {
            assert_eq!(
                codegen::Config::new()
                    .generate(&spec, shown, &codegen::nothing_before)
                    .unwrap()
                    .files,
                first,
                "{shown}"
            );
        }
    }
}

#[test]
fn readme_shows_the_example_programs_verbatim() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    for name in [
        "ambassador",
        "imichat",
        "iw_erp",
        "shelter",
        "shelter_streams",
        "shelter_pages",
        "shelter_webhooks",
    ] {
        let program = std::fs::read_to_string(root.join(format!("examples/{name}.rs"))).unwrap();
        assert!(
            readme.contains(&program),
            "README.md does not show tests/examples/{name}.rs as it is"
        );
    }
}
