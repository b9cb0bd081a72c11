//! Pages and forms as a browser without JavaScript uses them: set-up, login, errors, roles, modules.

use app::core::identity::Role;
use tests::{Resp, TestApp, make_user};

/// Follows a form's redirect back to its page, as the browser would.
async fn follow(app: &TestApp, res: &Resp, cookie: Option<&str>) -> Resp {
    assert!(res.status.is_redirection(), "expected a redirect, got {} {}", res.status, res.body);
    let location = res.location().expect("Location");
    let path = location.strip_prefix("http://127.0.0.1:3000").unwrap_or(&location).to_string();
    app.browser("GET", &path, cookie, None, "/").await
}

#[tokio::test]
async fn first_run_setup_login_and_errors_without_javascript() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    // No users yet: everything leads to the set-up page, in the browser's language.
    let home = app.browser("GET", "/", None, None, "/").await;
    assert!(home.status.is_redirection(), "{}", home.status);
    assert_eq!(home.location().as_deref(), Some("/setup"));
    let setup = app.browser("GET", "/setup", None, None, "/").await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    assert!(setup.body.contains("Создайте администратора"), "Russian from Accept-Language");

    // A too-short password comes back as a translated error next to the field.
    let short = "name=Aziz+Karimov&email=aziz%40karvon.uz&password=short&password_repeat=short";
    let res = app.browser("POST", "/rpc/setup", None, Some(short), "/setup").await;
    let page = follow(&app, &res, None).await;
    assert!(page.body.contains("Слишком коротко"), "{}", page.body);
    assert_eq!(app::auth::store::count_users(&app.db).await.unwrap(), 0, "nothing half-saved");

    let good = "name=Aziz+Karimov&email=aziz%40karvon.uz&password=correct-horse&password_repeat=correct-horse";
    let res = app.browser("POST", "/rpc/setup", None, Some(good), "/setup").await;
    assert_eq!(res.location().as_deref(), Some("/"));
    let cookie = res.cookie("karvon_session").expect("signed in after set-up");
    let set_cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let home = app.browser("GET", "/", Some(&cookie), None, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Aziz Karimov") && home.body.contains("Клиенты"), "{}", home.body);

    // The set-up is one-time.
    let again = app.browser("POST", "/rpc/setup", None, Some(good), "/setup").await;
    assert!(again.location().unwrap_or_default().contains("__err"));
    assert_eq!(app::auth::store::count_users(&app.db).await.unwrap(), 1);
    assert_eq!(app.browser("GET", "/setup", None, None, "/").await.location().as_deref(), Some("/login"));

    // Wrong password: a translated message on the login page.
    let res = app.browser("POST", "/rpc/login", None, Some("email=aziz%40karvon.uz&password=wrong"), "/login").await;
    let page = follow(&app, &res, None).await;
    assert!(page.body.contains("Неверная эл. почта или пароль"), "{}", page.body);
    // Right password: a session.
    let res =
        app.browser("POST", "/rpc/login", None, Some("email=aziz%40karvon.uz&password=correct-horse"), "/login").await;
    assert_eq!(res.location().as_deref(), Some("/"));
    let cookie = res.cookie("karvon_session").unwrap();
    // Logout ends it.
    let out = app.browser("POST", "/rpc/logout", Some(&cookie), Some(""), "/").await;
    assert_eq!(out.location().as_deref(), Some("/login"));
    assert_eq!(app.browser("GET", "/", Some(&cookie), None, "/").await.location().as_deref(), Some("/login"));
}

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email).await
}

#[tokio::test]
async fn customer_pages_follow_roles_and_modules() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    make_user(&app.db, "admin@k.uz", Role::Admin, None).await;
    make_user(&app.db, "m1@k.uz", Role::Manager, None).await;
    make_user(&app.db, "m2@k.uz", Role::Manager, None).await;
    let m1 = login(&app, "m1@k.uz").await;
    let m2 = login(&app, "m2@k.uz").await;
    let admin = login(&app, "admin@k.uz").await;

    // Create through the no-JS form: redirected to the new card.
    let res = app
        .browser(
            "POST",
            "/rpc/customers/create",
            Some(&m1),
            Some("name=Qarshi+Energiya&kind=company&phone=&email=&notes="),
            "/customers/new",
        )
        .await;
    let card = res.location().expect("redirect to the card");
    assert!(card.starts_with("/customers/"), "{card}");
    let page = app.browser("GET", &card, Some(&m1), None, "/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Qarshi Energiya"));
    // The window title names the customer; a list its kind, in the user's language.
    assert_eq!(page.body.matches("<title>").count(), 1, "one title");
    assert!(
        page.body.contains("<title>Qarshi Energiya · Karvon</title>"),
        "{}",
        &page.body[..2000.min(page.body.len())]
    );
    let list = app.browser("GET", "/customers", Some(&m1), None, "/").await;
    assert!(list.body.contains("<title>Клиенты · Karvon</title>"), "{}", &list.body[..2000.min(list.body.len())]);
    // Invalid input: errors next to the fields, in Russian.
    let res = app.browser("POST", "/rpc/customers/create", Some(&m1), Some("name=&email=bad"), "/customers/new").await;
    let page = follow(&app, &res, Some(&m1)).await;
    assert!(page.body.contains("Обязательное поле") && page.body.contains("Неверный адрес эл. почты"), "{}", page.body);

    // Another manager gets 403 on the card and does not see it in the list.
    let other = app.browser("GET", &card, Some(&m2), None, "/").await;
    assert_eq!(other.status, 403);
    assert!(!other.body.contains("Qarshi Energiya"));
    let list = app.browser("GET", "/customers?q=qarshi", Some(&m2), None, "/").await;
    assert!(!list.body.contains("Qarshi Energiya"));
    let list = app.browser("GET", "/customers?q=qarshi", Some(&admin), None, "/").await;
    assert!(list.body.contains("Qarshi Energiya"));

    // Managers cannot reach administration.
    let denied =
        app.browser("POST", "/rpc/settings/modules", Some(&m1), Some("key=customers&enabled=false"), "/").await;
    assert!(denied.location().unwrap_or_default().contains("__err"));
    // The administrator switches customers off: gone from the menu, pages answer 404.
    let res = app
        .browser(
            "POST",
            "/rpc/settings/modules",
            Some(&admin),
            Some("key=customers&enabled=false"),
            "/settings/modules",
        )
        .await;
    assert!(res.status.is_redirection());
    let home = app.browser("GET", "/", Some(&admin), None, "/").await;
    assert!(!home.body.contains("data-test=\"nav-customers\""));
    assert_eq!(app.browser("GET", "/customers", Some(&admin), None, "/").await.status, 404);
}

#[tokio::test]
async fn pipeline_settings_form_without_javascript() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    make_user(&app.db, "admin@k.uz", Role::Admin, None).await;
    make_user(&app.db, "m1@k.uz", Role::Manager, None).await;
    let admin = login(&app, "admin@k.uz").await;
    let manager = login(&app, "m1@k.uz").await;
    let page = app.browser("GET", "/admin/pipelines", Some(&admin), None, "/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Воронки") && page.body.contains("Первичный контакт"), "{}", page.body);
    let before = app::deals::store::pipeline(&app.db, 1).await.unwrap();
    // The form as the page posts it: `stage[rROW.FIELD]`, one row per stage.
    let form = |tasks: &str| {
        let mut f = format!("id=1&version={}&mode=manual", before.version);
        for (i, s) in before.stages.iter().enumerate() {
            f.push_str(&format!("&stage%5Br{i}.id%5D={}&stage%5Br{i}.probability%5D={}", s.id, s.probability));
        }
        f.push_str(&format!("&stage%5Br1.tasks%5D={tasks}&stage%5Br1.req_interest%5D=1"));
        f
    };
    // Days that are not a number: the error comes back on the page, by the stage's field; nothing saved.
    let bad = app
        .browser("POST", "/rpc/deals/save-pipeline", Some(&admin), Some(&form("soon+%7C+Call")), "/admin/pipelines")
        .await;
    assert!(bad.location().unwrap_or_default().contains("__err"), "{:?}", bad.location());
    assert_eq!(app::deals::store::pipeline(&app.db, 1).await.unwrap(), before);
    // A manager may not change pipelines.
    let refused = app
        .browser("POST", "/rpc/deals/save-pipeline", Some(&manager), Some(&form("1+%7C+Call")), "/admin/pipelines")
        .await;
    assert!(refused.location().unwrap_or_default().contains("__err"), "{:?}", refused.location());
    assert_eq!(app::deals::store::pipeline(&app.db, 1).await.unwrap(), before);
    // Right: qualification requires "interested in" and makes a task due in a day.
    let ok = app
        .browser("POST", "/rpc/deals/save-pipeline", Some(&admin), Some(&form("1+%7C+Call")), "/admin/pipelines")
        .await;
    assert!(ok.status.is_redirection() && !ok.location().unwrap_or_default().contains("__err"), "{:?}", ok.location());
    let after = app::deals::store::pipeline(&app.db, 1).await.unwrap();
    assert_eq!(after.stages[1].rules.required, ["interest"]);
    assert_eq!(after.stages[1].rules.tasks, [app::deals::AutoTask { title: "Call".into(), due_days: 1 }]);
    assert_eq!(after.stages.len(), before.stages.len());
}

/// A NUL character in a server function's argument (PostgreSQL stores none) is refused like the REST API
/// refuses it: the no-JavaScript form comes back with the translated error next to the field, the hydrated
/// client's call gets a 422 in the server function's error encoding, and nothing is saved on either database.
async fn nul_in_server_function_arguments_is_refused(app: TestApp) {
    make_user(&app.db, "nul@k.uz", Role::Manager, None).await;
    let m = login(&app, "nul@k.uz").await;
    let form = "name=Qarshi%00Energiya&kind=company&phone=&email=&notes=";
    let res = app.browser("POST", "/rpc/customers/create", Some(&m), Some(form), "/customers/new").await;
    assert!(res.location().unwrap_or_default().contains("__err"), "{} {:?}", res.status, res.location());
    let page = follow(&app, &res, Some(&m)).await;
    assert!(page.body.contains("В тексте недопустимый символ (NUL)"), "{}", page.body);

    let req = http::Request::builder()
        .method("POST")
        .uri("/rpc/customers/create")
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("accept", "application/json")
        .header("cookie", &m)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("name=Qarshi&kind=company&notes=a%00b"))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let err: app::core::AppError = serde_json::from_str(&res.body).expect("the server function's error encoding");
    assert_eq!(err.field_codes("notes"), vec![app::core::ErrCode::ControlCharacter]);

    let list = app.browser("GET", "/customers?q=qarshi", Some(&m), None, "/").await;
    assert!(!list.body.contains("Qarshi"), "nothing saved");
}
tests::both_apps!(nul_server_fn, nul_in_server_function_arguments_is_refused);

/// An administrator gives a manager a temporary password: the manager's sessions and tokens end; signed in
/// with it, every page leads to the profile and every call but the change is refused, until they choose
/// their own. Administrators cannot do this to themselves (their profile is the place).
async fn temporary_password_must_be_replaced(app: TestApp) {
    let admin_id = make_user(&app.db, "admin@k.uz", Role::Admin, None).await;
    let m1 = make_user(&app.db, "m1@k.uz", Role::Manager, None).await;
    let admin = login(&app, "admin@k.uz").await;
    let old_session = login(&app, "m1@k.uz").await;
    let (_, token) = app::auth::store::create_api_token(&app.db, m1, "sync").await.unwrap();
    assert_eq!(app.api("GET", "/api/v1/customers", Some(&token), None).await.status, 200);

    let set = |id: i64, pw: &str, repeat: &str| format!("id={id}&new_password={pw}&password_repeat={repeat}");
    // Refusals: too short, not repeated, one's own, a manager calling.
    let short = app
        .browser("POST", "/rpc/admin/users/password", Some(&admin), Some(&set(m1, "short", "short")), "/admin/users")
        .await;
    assert!(short.location().unwrap_or_default().contains("__err"), "{short:?}");
    let own = app.api_form("/rpc/admin/users/password", &admin, &set(admin_id, "long-enough-1", "long-enough-1")).await;
    assert_eq!(own.status, 422, "{}", own.body);
    assert!(own.body.contains("own_password_in_profile"), "{}", own.body);
    let by_manager =
        app.api_form("/rpc/admin/users/password", &old_session, &set(m1, "long-enough-1", "long-enough-1")).await;
    assert_eq!(by_manager.status, 403);

    let done = app.api_form("/rpc/admin/users/password", &admin, &set(m1, "temporary-pw-1", "temporary-pw-1")).await;
    assert_eq!(done.status, 200, "{}", done.body);
    // Everything the manager had ends.
    assert_eq!(app.browser("GET", "/", Some(&old_session), None, "/").await.location().as_deref(), Some("/login"));
    assert_eq!(app.api("GET", "/api/v1/customers", Some(&token), None).await.status, 401);

    // Signed in with the temporary password: pages lead to the profile, calls are refused.
    let form = "email=m1%40k.uz&password=temporary-pw-1";
    let res = app.browser("POST", "/rpc/login", None, Some(form), "/login").await;
    let temp = res.cookie("karvon_session").expect("signed in");
    assert_eq!(app.browser("GET", "/customers", Some(&temp), None, "/").await.location().as_deref(), Some("/profile"));
    let profile = app.browser("GET", "/profile", Some(&temp), None, "/").await;
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("data-test=\"must-change\""), "{}", profile.body);
    let refused = app.api_form("/rpc/tokens/create", &temp, "name=sneaky").await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("password_change_required"), "{}", refused.body);
    let refused = app.api_form("/rpc/customers/create", &temp, "name=X&kind=company").await;
    assert_eq!(refused.status, 403);

    // Choosing their own opens everything again (and the temporary one no longer works).
    let change = "current_password=temporary-pw-1&new_password=my-own-password&password_repeat=my-own-password";
    assert_eq!(app.api_form("/rpc/password", &temp, change).await.status, 200);
    let home = app.browser("GET", "/customers", Some(&temp), None, "/").await;
    assert_eq!(home.status, 200);
    assert!(!home.body.contains("data-test=\"must-change\""));
    assert_eq!(app.api_form("/rpc/tokens/create", &temp, "name=mine").await.status, 200);
    let old = app.browser("POST", "/rpc/login", None, Some(form), "/login").await;
    assert!(old.cookie("karvon_session").is_none());
}
tests::both_apps!(temporary_password, temporary_password_must_be_replaced);

/// The install manifest speaks the visitor's language (the browser's, before anyone signs in).
#[tokio::test]
async fn the_manifest_is_translated() {
    let app = TestApp::new(tests::Backend::Sqlite).await.unwrap();
    let ru = app.browser("GET", "/manifest.webmanifest", None, None, "/").await;
    assert_eq!(ru.status, 200);
    let m = ru.json();
    assert_eq!(
        (m["lang"].as_str(), m["description"].as_str()),
        (Some("ru"), Some("Karvon: клиенты, сделки и продажи в одном месте"))
    );
    assert_eq!(m["icons"].as_array().map(Vec::len), Some(3));
}

/// Time zones: the company's (Settings) and a user's own (the profile) decide how times are shown and how
/// typed times are read, on the server's pages and in server functions alike; unknown zones are refused.
async fn time_zones_show_and_read_times(app: TestApp) {
    make_user(&app.db, "admin@k.uz", Role::Admin, None).await;
    let m1_id = make_user(&app.db, "m1@k.uz", Role::Manager, None).await;
    let admin = login(&app, "admin@k.uz").await;
    let m1 = login(&app, "m1@k.uz").await;
    let (_, token) = app.user_token("api@k.uz", Role::Admin, None).await;
    let body = serde_json::json!({"name": "Vaqt Savdo", "manager_id": m1_id});
    let customer = app.api("POST", "/api/v1/customers", Some(&token), Some(body)).await.json()["id"].as_i64().unwrap();
    // 2026-12-01 09:00 UTC.
    let at: i64 = 1_796_115_600_000;
    let body = serde_json::json!({"customer_id": customer, "kind": "note", "body": "vaqt", "occurred_at": at});
    assert_eq!(app.api("POST", "/api/v1/interactions", Some(&token), Some(body)).await.status, 201);
    let page = |cookie: String| {
        let app = &app;
        async move { app.browser("GET", "/interactions", Some(&cookie), None, "/").await.body }
    };
    let html = page(admin.clone()).await;
    assert!(
        html.contains("01.12.2026 14:00"),
        "Tashkent by default: {}",
        &html[html.find("interaction-row").unwrap_or(0)..].chars().take(600).collect::<String>()
    );

    // The company moves to Moscow: everyone without a zone of their own sees 12:00.
    let bad = app
        .browser("POST", "/rpc/settings/time-zone", Some(&admin), Some("time_zone=Mars%2FOlympus"), "/settings/modules")
        .await;
    assert!(bad.location().is_some_and(|l| l.contains("__err")), "{:?}", bad.location());
    let set = app
        .browser("POST", "/rpc/settings/time-zone", Some(&m1), Some("time_zone=Europe%2FMoscow"), "/settings/modules")
        .await;
    assert!(set.location().is_some_and(|l| l.contains("__err")), "administrators only: {:?}", set.location());
    let set = app
        .browser(
            "POST",
            "/rpc/settings/time-zone",
            Some(&admin),
            Some("time_zone=Europe%2FMoscow"),
            "/settings/modules",
        )
        .await;
    let ok = |r: &Resp, page: &str| r.location().is_some_and(|l| l.contains(page) && !l.contains("__err"));
    assert!(ok(&set, "/settings/modules"), "{:?}", set.location());
    assert!(page(m1.clone()).await.contains("01.12.2026 12:00"));
    let html = page(admin.clone()).await;
    assert!(html.contains("01.12.2026 12:00") && html.contains("data-tz=\"Europe/Moscow\""));

    // The manager picks Tokyo for themselves: 18:00 for them, still 12:00 for the administrator.
    let own =
        app.browser("POST", "/rpc/profile/time-zone", Some(&m1), Some("time_zone=Asia%2FTokyo"), "/profile").await;
    assert!(ok(&own, "/profile"), "{:?}", own.location());
    assert!(page(m1.clone()).await.contains("01.12.2026 18:00"));
    assert!(page(admin.clone()).await.contains("01.12.2026 12:00"));
    // A time they type is read in their zone: 2026-12-01 18:00 in Tokyo is 09:00 UTC.
    let form = format!("title=Qo%27ng%27iroq&due=2026-12-01T18%3A00&customer_id={customer}");
    let made = app.api_form("/rpc/tasks/create", &m1, &form).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(made.json()["due_at"].as_i64(), Some(at));
    // Back to the company's zone.
    let own = app.browser("POST", "/rpc/profile/time-zone", Some(&m1), Some("time_zone="), "/profile").await;
    assert!(ok(&own, "/profile"), "{:?}", own.location());
    assert!(page(m1).await.contains("01.12.2026 12:00"));
}
tests::both_apps!(time_zones, time_zones_show_and_read_times);
