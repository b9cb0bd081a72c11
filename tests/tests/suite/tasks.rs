//! Tasks, "My day", reminders and live events on both databases: role rules, bad input, reminders that fire
//! exactly once (also with two claimers at once), and the event stream a browser listens to.

use std::time::Duration;

use app::core::identity::Role;
use app::core::now_millis;
use futures_util::StreamExt;
use serde_json::json;
use tests::{TestApp, both_apps};

async fn day_and_roles(app: TestApp) {
    let team = app::admin::store::create_team(&app.db, "North").await.unwrap();
    let (a_id, a) = app.user_token("a@karvon.uz", Role::Manager, Some(team)).await;
    let (b_id, b) = app.user_token("b@karvon.uz", Role::Manager, None).await;
    let (_, head) = app.user_token("head@karvon.uz", Role::SalesHead, Some(team)).await;
    let now = now_millis();
    let hour = 3_600_000;
    // Overdue, later today (when there is time left today), next week.
    for (title, due) in [("Overdue call", now - hour), ("Send offer", now + 60_000), ("Visit", now + 7 * 24 * hour)] {
        let r = app.api("POST", "/api/v1/tasks", Some(&a), Some(json!({"title": title, "due_at": due}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let day = app.api("GET", "/api/v1/tasks/my-day", Some(&a), None).await.json();
    assert_eq!(day["overdue_count"], 1);
    assert_eq!(day["overdue"][0]["title"], "Overdue call");
    let later_today = app::core::format::day_start(now) + 24 * hour > now + 60_000;
    assert_eq!(day["today_count"], if later_today { 1 } else { 0 });
    assert_eq!(day["upcoming_count"], if later_today { 1 } else { 2 });

    // A sales head sees the team member's day; another manager does not.
    let of_a = app.api("GET", &format!("/api/v1/tasks/my-day?user_id={a_id}"), Some(&head), None).await;
    assert_eq!((of_a.status.as_u16(), of_a.json()["overdue_count"].clone()), (200, json!(1)));
    assert_eq!(app.api("GET", &format!("/api/v1/tasks/my-day?user_id={a_id}"), Some(&b), None).await.status, 403);

    // A manager cannot give work to someone else; the head can, within the team.
    let to_b = app
        .api("POST", "/api/v1/tasks", Some(&a), Some(json!({"title": "x", "due_at": now, "assignee_id": b_id})))
        .await;
    assert_eq!((to_b.status.as_u16(), to_b.json()["fields"].get("assignee_id").is_some()), (422, true));
    let given = app
        .api(
            "POST",
            "/api/v1/tasks",
            Some(&head),
            Some(json!({"title": "Call Aziz", "due_at": now + hour, "assignee_id": a_id})),
        )
        .await;
    assert_eq!(given.status, 201, "{}", given.body);
    let tid = given.json()["id"].as_i64().unwrap();
    assert_eq!(app.api("GET", &format!("/api/v1/tasks/{tid}"), Some(&a), None).await.status, 200);
    assert_eq!(app.api("GET", &format!("/api/v1/tasks/{tid}"), Some(&b), None).await.status, 403);

    // Done, then a stale change is refused.
    let done =
        app.api("PATCH", &format!("/api/v1/tasks/{tid}"), Some(&a), Some(json!({"version": 1, "done": true}))).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.json()["done_at"].is_i64());
    let stale =
        app.api("PATCH", &format!("/api/v1/tasks/{tid}"), Some(&a), Some(json!({"version": 1, "title": "y"}))).await;
    assert_eq!(stale.status, 409);

    // Bad input, each field named.
    let bad = app
        .api("POST", "/api/v1/tasks", Some(&a), Some(json!({"title": " ", "due_at": now, "remind_at": now + hour})))
        .await;
    assert_eq!(bad.status, 422);
    let fields = bad.json()["fields"].clone();
    assert!(fields.get("title").is_some() && fields.get("remind_at").is_some(), "{fields}");
    let customer = app.api("POST", "/api/v1/customers", Some(&b), Some(json!({"name": "B's customer"}))).await.json();
    let foreign = app
        .api(
            "POST",
            "/api/v1/tasks",
            Some(&a),
            Some(json!({"title": "x", "due_at": now, "customer_id": customer["id"]})),
        )
        .await;
    assert_eq!((foreign.status.as_u16(), foreign.json()["fields"].get("customer_id").is_some()), (422, true));

    // The list pages by due time.
    let page = app.api("GET", "/api/v1/tasks?done=false&limit=2", Some(&a), None).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next_cursor"].as_str().unwrap();
    let rest = app.api("GET", &format!("/api/v1/tasks?done=false&limit=2&cursor={next}"), Some(&a), None).await.json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
}

async fn reminders_fire_once(app: TestApp) {
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let now = now_millis();
    let t = app
        .api(
            "POST",
            "/api/v1/tasks",
            Some(&a),
            Some(json!({"title": "Call back", "due_at": now + 60_000, "remind_at": now - 1000})),
        )
        .await
        .json();
    let not_yet = app
        .api(
            "POST",
            "/api/v1/tasks",
            Some(&a),
            Some(json!({"title": "Later", "due_at": now + 7_200_000, "remind_at": now + 3_600_000})),
        )
        .await;
    assert_eq!(not_yet.status, 201);
    assert_eq!(app::tasks::reminders::fire_due(&app.db, now).await.unwrap(), 1);
    assert_eq!(app::tasks::reminders::fire_due(&app.db, now).await.unwrap(), 0, "a reminder fires once");
    let unread = app.api("GET", "/api/v1/notifications", Some(&a), None).await.json();
    assert_eq!(unread.as_array().unwrap().len(), 1);
    assert_eq!(unread[0]["title"], "Call back");
    // Moving the reminder lets it fire again; marking the task done stops it.
    let tid = t["id"].as_i64().unwrap();
    let moved = app
        .api("PATCH", &format!("/api/v1/tasks/{tid}"), Some(&a), Some(json!({"version": 1, "remind_at": now + 1000})))
        .await;
    assert!(moved.json()["reminded_at"].is_null());
    let done =
        app.api("PATCH", &format!("/api/v1/tasks/{tid}"), Some(&a), Some(json!({"version": 2, "done": true}))).await;
    assert_eq!(done.status, 200);
    assert_eq!(app::tasks::reminders::fire_due(&app.db, now + 2000).await.unwrap(), 0);
    let nid = unread[0]["id"].as_i64().unwrap();
    assert_eq!(app.api("POST", &format!("/api/v1/notifications/{nid}/read"), Some(&a), None).await.status, 204);
    assert_eq!(app.api("GET", "/api/v1/notifications", Some(&a), None).await.json().as_array().unwrap().len(), 0);

    // Two claimers at once (two app servers) share 300 due reminders without doubling any.
    let uid = app.api("GET", "/api/v1/me", Some(&a), None).await.json()["id"].as_i64().unwrap();
    for i in 0..300 {
        let input = app::tasks::NewTask {
            title: format!("r{i}"),
            due_at: now,
            remind_at: Some(now - 10),
            ..Default::default()
        };
        let user = app::core::identity::CurrentUser {
            id: uid,
            email: "a@karvon.uz".into(),
            name: "a".into(),
            role: Role::Manager,
            team_id: None,
            lang: None,
            must_change_password: false,
            time_zone: None,
        };
        app::tasks::service::create(&app.db, &user, &input).await.unwrap();
    }
    let (x, y) = tokio::join!(
        async {
            let mut n = 0;
            while let Ok(k @ 1..) = app::tasks::reminders::fire_due(&app.db, now).await {
                n += k;
            }
            n
        },
        async {
            let mut n = 0;
            while let Ok(k @ 1..) = app::tasks::reminders::fire_due(&app.db, now).await {
                n += k;
            }
            n
        }
    );
    assert_eq!(x + y, 300);
    let rows: i64 = match &app.db {
        app::core::db::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE title LIKE 'r%'").fetch_one(p).await.unwrap()
        }
        app::core::db::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE title LIKE 'r%'").fetch_one(p).await.unwrap()
        }
    };
    assert_eq!(rows, 300);
}

/// The next SSE frame of a stream, as text.
async fn next_frame(
    body: &mut (impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
) -> String {
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(10), body.next())
            .await
            .expect("an event within 10 s")
            .expect("stream open")
            .expect("chunk");
        let text = String::from_utf8_lossy(&chunk).into_owned();
        // Keep-alive comments start with ':'.
        if !text.starts_with(':') {
            return text;
        }
    }
}

async fn live_events(app: TestApp) {
    let relay = tokio::spawn(app::core::events::relay(app.db.clone()));
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let (_, b) = app.user_token("b@karvon.uz", Role::Manager, None).await;
    let now = now_millis();
    // A reminder that fired while no page was open comes first on connecting.
    let task = |title: &str, remind_at: i64| json!({"title": title, "due_at": now + 600_000, "remind_at": remind_at});
    app.api("POST", "/api/v1/tasks", Some(&a), Some(task("Missed while away", now - 5000))).await;
    app::tasks::reminders::fire_due(&app.db, now).await.unwrap();
    let open = |token: &str| {
        http::Request::builder()
            .uri("/api/v1/events")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let res = tower::ServiceExt::oneshot(app.router.clone(), open(&a)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut a_stream = res.into_body().into_data_stream();
    let first = next_frame(&mut a_stream).await;
    assert!(first.contains("event: notification") && first.contains("Missed while away"), "{first}");
    let res_b = tower::ServiceExt::oneshot(app.router.clone(), open(&b)).await.unwrap();
    let mut b_stream = res_b.into_body().into_data_stream();

    // A reminder firing now reaches the open stream of its user only.
    tokio::time::sleep(Duration::from_millis(300)).await; // the relay is listening (PostgreSQL)
    app.api("POST", "/api/v1/tasks", Some(&a), Some(task("Call the bank", now - 10))).await;
    app::tasks::reminders::fire_due(&app.db, now).await.unwrap();
    let live = next_frame(&mut a_stream).await;
    assert!(live.contains("Call the bank"), "{live}");
    let nothing = tokio::time::timeout(Duration::from_millis(500), b_stream.next()).await;
    assert!(nothing.is_err(), "b got someone else's event: {nothing:?}");
    relay.abort();
}

both_apps!(my_day_and_roles, day_and_roles);
both_apps!(reminders, reminders_fire_once);
both_apps!(event_stream, live_events);

async fn calendar_feed(app: TestApp) {
    let (uid, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let customer =
        app.api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "Navoiy Tekstil, MChJ"}))).await.json();
    let now = now_millis();
    let meeting = json!({"customer_id": customer["id"], "kind": "meeting", "occurred_at": now + 86_400_000, "duration_secs": 5400,
        "subject": "Contract; terms", "place": "Office; floor 2, room 5", "body": "Bring samples\nand prices"});
    assert_eq!(app.api("POST", "/api/v1/interactions", Some(&a), Some(meeting)).await.status, 201);
    let task = json!({"title": "Call back «Navoiy»", "due_at": now + 7_200_000, "remind_at": now + 3_600_000});
    assert_eq!(app.api("POST", "/api/v1/tasks", Some(&a), Some(task)).await.status, 201);

    let token = app::tasks::store::renew_feed(&app.db, uid).await.unwrap();
    let feed = app.browser("GET", &format!("/calendar/feed/{token}"), None, None, "/").await;
    assert_eq!(feed.status, 200, "{}", feed.body);
    assert!(feed.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(feed.body.lines().all(|l| l.len() <= 76), "lines are folded at 75 octets");

    // A real parser reads it back, texts unescaped.
    let unfolded = icalendar::parser::unfold(&feed.body);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let events: Vec<_> = cal.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), 2);
    let text = |c: &icalendar::parser::Component, p: &str| {
        c.find_prop(p).map(|p| p.val.clone().unescape_text().as_str().to_string())
    };
    let m = events.iter().find(|e| text(e, "UID").unwrap().starts_with("meeting-")).unwrap();
    assert_eq!(text(m, "SUMMARY").unwrap(), "Contract; terms · Navoiy Tekstil, MChJ");
    assert_eq!(text(m, "LOCATION").unwrap(), "Office; floor 2, room 5");
    assert_eq!(text(m, "DESCRIPTION").unwrap(), "Bring samples\nand prices");
    let t = events.iter().find(|e| text(e, "UID").unwrap().starts_with("task-")).unwrap();
    assert_eq!(text(t, "SUMMARY").unwrap(), "Call back «Navoiy»");
    assert_eq!(t.components.iter().filter(|c| c.name == "VALARM").count(), 1);
    // The high-level model agrees on the times.
    let high: icalendar::Calendar = cal.components.clone().into();
    let starts: Vec<_> = high
        .components
        .iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => icalendar::Component::get_start(e),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 2);

    // A new link ends the old one; an unknown one is a 404.
    let renewed = app::tasks::store::renew_feed(&app.db, uid).await.unwrap();
    assert_eq!(app.browser("GET", &format!("/calendar/feed/{token}"), None, None, "/").await.status, 404);
    assert_eq!(app.browser("GET", &format!("/calendar/feed/{renewed}.ics"), None, None, "/").await.status, 200);
}

both_apps!(ical_feed, calendar_feed);

async fn modules_off(app: TestApp) {
    let (_, a) = app.user_token("a@karvon.uz", Role::Manager, None).await;
    let customer = app.api("POST", "/api/v1/customers", Some(&a), Some(json!({"name": "Modules MChJ"}))).await.json();
    for (module, path) in
        [("interactions", "/api/v1/interactions"), ("tasks", "/api/v1/tasks"), ("tasks", "/api/v1/tasks/my-day")]
    {
        assert_eq!(app.api("GET", path, Some(&a), None).await.status, 200, "{path} while on");
        app::core::modules::set_module(&app.db, module, false).await.unwrap();
        app.modules.invalidate();
        assert_eq!(app.api("GET", path, Some(&a), None).await.status, 404, "{path} while {module} is off");
        app::core::modules::set_module(&app.db, module, true).await.unwrap();
        app.modules.invalidate();
    }
    // With interactions off, the card offers no quick log; its page still opens.
    app::core::modules::set_module(&app.db, "interactions", false).await.unwrap();
    app.modules.invalidate();
    let session = app::auth::store::create_session(
        &app.db,
        app.api("GET", "/api/v1/me", Some(&a), None).await.json()["id"].as_i64().unwrap(),
    )
    .await
    .unwrap();
    let cookie = format!("karvon_session={session}");
    let page = app.browser("GET", &format!("/customers/{}", customer["id"]), Some(&cookie), None, "/").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("data-test=\"quick-log\""));
    assert!(page.body.contains("data-test=\"customer-tasks\""));
}

both_apps!(switched_off, modules_off);
