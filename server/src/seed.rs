//! `karvon seed-demo`: realistic demo data (Uzbek, Russian and English names, UZ phone numbers, taxpayer ids
//! and bank accounts): customers, their counterparties (about 1.2 per customer) and contact persons (about
//! 1.5 per customer).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use app::auth::store as auth_store;
use app::contacts::ContactValues;
use app::core::AppError;
use app::core::db::{BeginWrite, Db, Rows, V};
use app::core::identity::Role;
use app::counterparties::{CounterpartyValues, NewBankAccount, store as counterparty_store};
use app::customers::{CustomerKind, CustomerStage, CustomerValues, search};
use app::db_run;

const UZ_PLACES: &[&str] =
    &["Toshkent", "Samarqand", "Buxoro", "Farg'ona", "Namangan", "Andijon", "Xorazm", "Navoiy", "Qarshi", "Termiz"];
const UZ_TRADES: &[&str] =
    &["Savdo", "Tekstil", "Qurilish", "Agro", "Logistika", "Invest", "Oziq-ovqat", "Mebel", "Farm", "Energiya"];
const UZ_FORMS: &[&str] = &["MChJ", "AJ", "XK", "OK"];
const RU_WORDS: &[&str] =
    &["Восток", "Альянс", "Гранд", "Стройсервис", "Техно", "Меридиан", "Союз", "Шёлковый путь", "Прогресс", "Старт"];
const RU_FORMS: &[&str] = &["ООО", "АО", "ИП"];
const EN_WORDS: &[&str] = &[
    "Silk Road",
    "Blue Dome",
    "Golden Valley",
    "Oasis",
    "Caravan",
    "Summit",
    "Pioneer",
    "Crescent",
    "Horizon",
    "Atlas",
];
const EN_TRADES: &[&str] = &["Trading", "Logistics", "Foods", "Textiles", "Systems", "Partners", "Supplies"];
const UZ_FIRST: &[&str] = &[
    "Aziz", "Dilnoza", "Jasur", "Gulnora", "Sardor", "Malika", "Otabek", "Nodira", "Bekzod", "Shahnoza", "Rustam",
    "Zarina",
];
const UZ_LAST: &[&str] = &[
    "Karimov",
    "Rahimova",
    "Tursunov",
    "Yusupova",
    "Abdullayev",
    "Nazarova",
    "Ismoilov",
    "Qodirova",
    "Ergashev",
    "Saidova",
];
const RU_FIRST: &[&str] = &["Иван", "Ольга", "Дмитрий", "Елена", "Сергей", "Наталья", "Алексей", "Татьяна"];
const RU_LAST: &[&str] = &["Петров", "Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Морозова"];
const EN_FIRST: &[&str] = &["John", "Emily", "Michael", "Sarah", "David", "Laura"];
const EN_LAST: &[&str] = &["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark"];
const OPERATORS: &[&str] = &["90", "91", "93", "94", "95", "97", "98", "99", "33", "88"];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

fn translit(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Some(c.to_ascii_lowercase()),
            ' ' | '-' => Some('.'),
            _ => None,
        })
        .collect()
}

/// A Uzbek mobile number in E.164.
fn demo_phone(rng: &mut StdRng) -> String {
    format!("+998{}{:07}", pick(rng, OPERATORS), rng.gen_range(0..10_000_000))
}

const POSITIONS: &[&str] = &["Direktor", "Bosh hisobchi", "Ta'minot menejeri", "Директор", "Бухгалтер", "Buyer"];
const ROLES: &[&str] = &["qaror qabul qiluvchi", "hisob-kitob", "закупки", "decision maker"];
const BANKS: &[(&str, &str)] = &[
    ("00873", "Kapitalbank"),
    ("00440", "Hamkorbank"),
    ("00014", "Milliy bank"),
    ("01095", "Ipoteka-bank"),
    ("00401", "Asakabank"),
];

/// A demo counterparty: values, owning customer, since when, bank accounts.
type CounterpartySeed = (CounterpartyValues, i64, i64, Vec<NewBankAccount>);
/// A demo contact: values, customer, role there, created at.
type ContactSeed = (ContactValues, i64, Option<String>, i64);

/// The counterparties and contacts of demo customer `id` (`n`: a running number for unique taxpayer ids).
fn demo_extras(
    rng: &mut StdRng,
    id: i64,
    v: &CustomerValues,
    at: i64,
    n: &mut u64,
) -> (Vec<CounterpartySeed>, Vec<ContactSeed>) {
    let company = v.kind == CustomerKind::Company;
    let counterparties = if company { 1 + usize::from(rng.gen_bool(0.5)) } else { usize::from(rng.gen_bool(0.5)) };
    let cps = (0..counterparties)
        .map(|k| {
            *n += 1;
            let (bank_code, bank_name) = *BANKS.choose(rng).unwrap_or(&BANKS[0]);
            let account = NewBankAccount {
                bank_code: bank_code.into(),
                account: format!("20208000{:012}", *n),
                bank_name: Some(bank_name.into()),
                version: None,
            };
            let legal_name = if k == 0 { v.name.clone() } else { format!("{} ({})", v.name, k + 1) };
            let values = CounterpartyValues {
                legal_name,
                country: "UZ".into(),
                // UZ legal entities' STIR start with 2 or 3: unique by construction.
                tax_id: format!("{}", 300_000_000 + *n),
                vat_payer: rng.gen_bool(0.4),
                legal_address: Some(format!("{} sh., {}-uy", pick(rng, UZ_PLACES), rng.gen_range(1..200))),
                requisites: Default::default(),
            };
            (values, id, at, vec![account])
        })
        .collect();
    let contacts = if company { rng.gen_range(1..=3) } else { usize::from(rng.gen_bool(0.33)) };
    let cts = (0..contacts)
        .map(|_| {
            let name = format!("{} {}", pick(rng, UZ_FIRST), pick(rng, UZ_LAST));
            let values = ContactValues {
                emails: vec![format!("{}{}@example.uz", translit(&name), rng.gen_range(0..1000))],
                name,
                position: Some(pick(rng, POSITIONS).to_string()),
                phones: vec![demo_phone(rng)],
                messengers: Vec::new(),
                birthday: None,
                notes: None,
                custom: Vec::new(),
                role: None,
            };
            (values, id, Some(pick(rng, ROLES).to_string()), at)
        })
        .collect();
    (cps, cts)
}

/// One demo customer.
pub fn demo_customer(rng: &mut StdRng, n: u64) -> CustomerValues {
    let person = rng.gen_bool(0.3);
    let (name, mail_base) = match (person, rng.gen_range(0..10)) {
        (false, 0..=5) => {
            let place = pick(rng, UZ_PLACES);
            let trade = pick(rng, UZ_TRADES);
            (format!("{place} {trade} {}", pick(rng, UZ_FORMS)), format!("{}{}", translit(place), translit(trade)))
        }
        (false, 6..=8) => {
            let word = pick(rng, RU_WORDS);
            (format!("{} «{word}»", pick(rng, RU_FORMS)), format!("company{n}"))
        }
        (false, _) => {
            let word = pick(rng, EN_WORDS);
            let trade = pick(rng, EN_TRADES);
            (format!("{word} {trade} LLC"), translit(&format!("{word}{trade}")))
        }
        (true, 0..=5) => {
            let (f, l) = (pick(rng, UZ_FIRST), pick(rng, UZ_LAST));
            (format!("{f} {l}"), translit(&format!("{f}.{l}")))
        }
        (true, 6..=8) => (format!("{} {}", pick(rng, RU_FIRST), pick(rng, RU_LAST)), format!("client{n}")),
        (true, _) => {
            let (f, l) = (pick(rng, EN_FIRST), pick(rng, EN_LAST));
            (format!("{f} {l}"), translit(&format!("{f}.{l}")))
        }
    };
    let phone = demo_phone(rng);
    CustomerValues {
        name,
        kind: if person { CustomerKind::Person } else { CustomerKind::Company },
        phone: Some(phone),
        email: Some(format!("{mail_base}{n}@example.uz")),
        notes: None,
        stage: [CustomerStage::Potential, CustomerStage::OneTime, CustomerStage::Regular, CustomerStage::Lost]
            [rng.gen_range(0..4)],
        source: None,
        tags: Vec::new(),
        custom: Vec::new(),
    }
}

/// Demo staff: a sales head and managers in two teams (password `demo-password`). Returns manager ids.
pub async fn demo_staff(db: &Db) -> Result<Vec<i64>, AppError> {
    let hash = auth_store::hash_password_async("demo-password".into()).await?;
    let mut ids = Vec::new();
    let teams = ["Toshkent savdo", "Viloyatlar"];
    for (t, team) in teams.iter().enumerate() {
        let team_id = match app::admin::store::create_team(db, team).await {
            Ok(id) => id,
            Err(_) => app::admin::store::list_teams(db)
                .await?
                .into_iter()
                .find(|x| x.name == *team)
                .map(|x| x.id)
                .ok_or(AppError::NotFound)?,
        };
        for i in 0..4 {
            let role = if i == 0 { Role::SalesHead } else { Role::Manager };
            let email = format!("demo{}{}@karvon.uz", t + 1, i);
            let name = format!("{} {}", UZ_FIRST[(t * 4 + i) % UZ_FIRST.len()], UZ_LAST[(t * 3 + i) % UZ_LAST.len()]);
            let row = auth_store::NewUserRow {
                email: &email,
                name: &name,
                password_hash: &hash,
                role,
                team_id: Some(team_id),
            };
            let id = match auth_store::create_user(db, row).await {
                Ok(id) => id,
                Err(_) => auth_store::find_login(db, &email).await?.map(|r| r.0).ok_or(AppError::NotFound)?,
            };
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The next free id of a table (seeding runs alone, before the server starts).
pub async fn next_id(db: &Db, table: &str) -> Result<i64, AppError> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    Ok(db_run!(db, p => sqlx::query_scalar(&sql).fetch_one(p).await)?)
}

/// Inserts `count` customers spread over the demo managers, with their counterparties and contacts, in
/// transactions of 2,000 customers and statements of many rows each (ids given by the seeder, so that a
/// million customers and their 3 million related rows take minutes). Taxpayer ids continue after those
/// already there, so seeding twice does not collide.
pub async fn seed_customers(db: &Db, count: u64, seed: u64) -> Result<(), AppError> {
    let managers = demo_staff(db).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let start = app::core::now_millis() - 365 * 86_400_000;
    let mut taxpayer = counterparty_store::count(db).await? as u64;
    let (mut customer_id, mut counterparty_id, mut contact_id) =
        (next_id(db, "customers").await?, next_id(db, "counterparties").await?, next_id(db, "contacts").await?);
    let mut n = 0;
    while n < count {
        let size = (count - n).min(2000);
        let first_id = customer_id;
        let mut customers = Rows::new(
            db,
            "INSERT INTO customers (id, name, name_search, kind, stage, phone, email, manager_id, created_by, \
             created_at, updated_at, version, dup_key)",
            13,
        );
        let mut docs = Rows::new(db, search::insert_head(db), 2);
        let mut cps = Rows::new(
            db,
            "INSERT INTO counterparties (id, legal_name, country, tax_id, vat_payer, legal_address, created_by, \
             created_at, updated_at, version)",
            10,
        );
        let mut owners = Rows::new(
            db,
            "INSERT INTO counterparty_owners (counterparty_id, customer_id, valid_from, created_by, created_at)",
            5,
        );
        let mut accounts =
            Rows::new(db, "INSERT INTO bank_accounts (counterparty_id, bank_code, account, bank_name, created_at)", 5);
        let mut contacts = Rows::new(
            db,
            "INSERT INTO contacts (id, name, name_search, position, created_by, created_at, updated_at, version)",
            8,
        );
        let mut points = Rows::new(db, "INSERT INTO contact_points (contact_id, kind, value)", 3);
        let mut links = Rows::new(db, "INSERT INTO customer_contacts (customer_id, contact_id, role, created_at)", 4);
        let by = managers[0];
        for k in n..n + size {
            let manager = managers[rng.gen_range(0..managers.len())];
            let at = start + (k as i64 * 365 * 86_400_000 / count.max(1) as i64);
            let v = demo_customer(&mut rng, k);
            let id = customer_id;
            customer_id += 1;
            customers.push([
                V::I(id),
                V::S(v.name.clone()),
                V::S(app::customers::search_key(&v.name)),
                V::S(v.kind.as_str().into()),
                V::S(v.stage.as_str().into()),
                v.phone.clone().into(),
                v.email.clone().into(),
                V::I(manager),
                V::I(manager),
                V::I(at),
                V::I(at),
                V::I(1),
                V::S(app::customers::dupes::name_key(&v.name)),
            ]);
            let (a, b) = demo_extras(&mut rng, id, &v, at, &mut taxpayer);
            let mut texts: Vec<&str> = vec![&v.name];
            texts.extend(v.email.as_deref());
            texts.extend(a.iter().flat_map(|(c, ..)| [c.legal_name.as_str(), c.tax_id.as_str()]));
            texts.extend(
                b.iter()
                    .flat_map(|(c, ..)| std::iter::once(c.name.as_str()).chain(c.emails.iter().map(String::as_str))),
            );
            let phones = v.phone.iter().chain(b.iter().flat_map(|(c, ..)| c.phones.iter())).map(String::as_str);
            docs.push([V::I(id), V::S(search::document(texts, phones))]);
            for (c, _, at, accs) in a {
                let cp = counterparty_id;
                counterparty_id += 1;
                cps.push([
                    V::I(cp),
                    V::S(c.legal_name),
                    V::S(c.country),
                    V::S(c.tax_id),
                    V::B(c.vat_payer),
                    c.legal_address.into(),
                    V::I(by),
                    V::I(at),
                    V::I(at),
                    V::I(1),
                ]);
                owners.push([V::I(cp), V::I(id), V::I(at), V::I(by), V::I(at)]);
                for acc in accs {
                    accounts.push([V::I(cp), V::S(acc.bank_code), V::S(acc.account), acc.bank_name.into(), V::I(at)]);
                }
            }
            for (c, _, role, at) in b {
                let ct = contact_id;
                contact_id += 1;
                contacts.push([
                    V::I(ct),
                    V::S(app::customers::search_key(&c.name)),
                    V::S(c.name),
                    c.position.into(),
                    V::I(by),
                    V::I(at),
                    V::I(at),
                    V::I(1),
                ]);
                for p in c.phones {
                    points.push([V::I(ct), V::S("phone".into()), V::S(p)]);
                }
                for e in c.emails {
                    points.push([V::I(ct), V::S("email".into()), V::S(e)]);
                }
                links.push([V::I(id), V::I(ct), role.into(), V::I(at)]);
            }
        }
        db_run!(db, p => {
            let mut tx = p.begin_write().await?;
            app::insert_rows!(tx, customers);
            app::insert_rows!(tx, docs);
            app::insert_rows!(tx, cps);
            app::insert_rows!(tx, owners);
            app::insert_rows!(tx, accounts);
            app::insert_rows!(tx, contacts);
            app::insert_rows!(tx, points);
            app::insert_rows!(tx, links);
            // The documents were written above: the triggers' stale marks are not needed.
            sqlx::query("DELETE FROM search_stale WHERE customer_id >= $1 AND customer_id < $2")
                .bind(first_id).bind(customer_id).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        n += size;
    }
    if db.is_postgres() {
        // Ids were given explicitly: move the identity sequences past them.
        for table in ["customers", "counterparties", "contacts"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            );
            db_run!(db, p => sqlx::query(&sql).execute(p).await.map(|_| ()))?;
        }
    }
    demo_regions(db).await?;
    // Fresh statistics, so that the planner knows the new tables' sizes at once (PostgreSQL's autovacuum
    // would catch up only later; SQLite has none).
    db_run!(db, p => sqlx::query("ANALYZE").execute(p).await.map(|_| ()))?;
    Ok(())
}

/// A demo custom field, "Region" (one choice), with a value for every customer that has none: one
/// `INSERT … SELECT`, however many customers.
pub async fn demo_regions(db: &Db) -> Result<(), AppError> {
    use app::custom_fields::{FieldEntity, NewCustomField, store as fields};
    const REGIONS: [&str; 4] = ["Toshkent", "Samarqand", "Buxoro", "Farg'ona"];
    let existing = fields::list(db, FieldEntity::Customer).await?.into_iter().find(|f| f.key == "region");
    let field = match existing {
        Some(f) => f,
        None => {
            let input = NewCustomField {
                key: Some("region".into()),
                label: "Region".into(),
                kind: "choice".into(),
                options: Some(REGIONS.iter().map(|r| r.to_string()).collect()),
                ..Default::default()
            };
            fields::create(db, &input.validate("region")?).await?
        }
    };
    let pick = REGIONS
        .iter()
        .enumerate()
        .map(|(i, r)| format!("WHEN {i} THEN '{}'", r.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" ");
    let value = format!("CASE c.id % 4 {pick} END");
    let sql = format!(
        "INSERT INTO custom_values (field_id, record_id, seq, value, sort_key) \
         SELECT $1, c.id, 0, {value}, LOWER({value}) FROM customers c \
         WHERE NOT EXISTS (SELECT 1 FROM custom_values v WHERE v.field_id = $1 AND v.record_id = c.id)"
    );
    db_run!(db, p => sqlx::query(&sql).bind(field.id).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// What demo deals are about.
const DEAL_TOPICS: &[&str] = &[
    "Sement yetkazib berish",
    "Ofis mebeli",
    "Kafel va santexnika",
    "Yillik xizmat shartnomasi",
    "Поставка арматуры",
    "Оборудование для склада",
    "Kompyuterlar va printerlar",
    "Packaging materials",
];

/// Deals in the starter pipeline spread over the last year: the newest 5,000 (or all, when fewer) open
/// across its stages, the rest won or lost after getting 1 to 7 stages far; every stay is a history row.
/// `managers` and `customers` are ids to spread them over, `stages` the pipeline's stage ids in order.
/// Returns the number of history rows.
pub async fn seed_deals(
    db: &Db,
    deals: usize,
    managers: &[i64],
    customers: &[i64],
    stages: &[i64],
) -> Result<i64, AppError> {
    let now = app::core::now_millis();
    let (day, year) = (86_400_000i64, 365 * 86_400_000i64);
    let mut history = 0i64;
    let first_id = next_id(db, "deals").await?;
    let mut done = 0;
    while done < deals {
        let n = 20_000.min(deals - done);
        let mut d = Rows::new(
            db,
            "INSERT INTO deals (id, title, pipeline_id, stage_id, customer_id, manager_id, amount, currency, status, \
             lost_stage_id, loss_reason_id, closed_at, max_position, stage_entered_at, created_by, created_at, updated_at)",
            17,
        );
        let mut h = Rows::new(
            db,
            "INSERT INTO deal_stage_history (deal_id, pipeline_id, stage_id, deal_created_at, entered_at, left_at, moved_by)",
            7,
        );
        for k in 0..n {
            let i = done + k;
            let id = first_id + i as i64;
            let open = i >= deals.saturating_sub(5_000);
            let created = now - year + (year - day) * i as i64 / deals as i64;
            let reach = (1 + (i * 7919 % stages.len())) as i64;
            let manager = managers[i % managers.len()];
            let status = if open {
                "open"
            } else if i % 3 == 0 {
                "won"
            } else {
                "lost"
            };
            let stage = stages[(reach - 1) as usize];
            let entered_last = created + (reach - 1) * day;
            d.push([
                V::I(id),
                V::S(format!("{} #{}", DEAL_TOPICS[i % DEAL_TOPICS.len()], i + 1)),
                V::I(1),
                V::I(stage),
                V::I(customers[i % customers.len()]),
                V::I(manager),
                V::I(((i % 97) as i64 + 1) * 100_000_000),
                V::S(if i % 10 == 0 { "USD".into() } else { "UZS".into() }),
                V::S(status.into()),
                if status == "lost" { V::I(stage) } else { V::NI },
                if status == "lost" { V::I(1 + (i % 5) as i64) } else { V::NI },
                if open { V::NI } else { V::I(entered_last + day) },
                V::I(reach),
                V::I(entered_last),
                V::I(manager),
                V::I(created),
                V::I(entered_last),
            ]);
            for s in 0..reach {
                let entered = created + s * day;
                let left = if s + 1 < reach || !open { V::I(entered + day) } else { V::NI };
                h.push([
                    V::I(id),
                    V::I(1),
                    V::I(stages[s as usize]),
                    V::I(created),
                    V::I(entered),
                    left,
                    V::I(manager),
                ]);
                history += 1;
            }
        }
        db_run!(db, p => {
            let mut tx = p.begin_write().await?;
            app::insert_rows!(tx, d);
            app::insert_rows!(tx, h);
            tx.commit().await
        })?;
        done += n;
    }
    if db.is_postgres() {
        db_run!(db, p => sqlx::query(
            "SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM deals), false)")
            .execute(p).await.map(|_| ()))?;
    }
    db_run!(db, p => sqlx::query("ANALYZE").execute(p).await.map(|_| ()))?;
    Ok(history)
}

/// Demo deals for the demo customers: one for every four customers, spread over the demo managers.
pub async fn seed_demo_deals(db: &Db, count: usize) -> Result<i64, AppError> {
    let (managers, customers, stages): (Vec<i64>, Vec<i64>, Vec<i64>) = db_run!(db, p => {
        let m = sqlx::query_scalar("SELECT id FROM users WHERE role = 'manager' AND email LIKE 'demo%' ORDER BY id")
            .fetch_all(p).await?;
        let c = sqlx::query_scalar("SELECT id FROM customers ORDER BY id DESC LIMIT $1")
            .bind(count as i64 * 4).fetch_all(p).await?;
        let s = sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE pipeline_id = 1 ORDER BY position")
            .fetch_all(p).await?;
        Ok::<_, sqlx::Error>((m, c, s))
    })?;
    if managers.is_empty() || customers.is_empty() || stages.is_empty() {
        return Ok(0);
    }
    seed_deals(db, count, &managers, &customers, &stages).await
}

const TASK_TITLES: &[&str] = &[
    "Qo'ng'iroq qilish: yangi narxlar",
    "Tijorat taklifini yuborish",
    "Shartnoma loyihasini kelishish",
    "To'lovni eslatish",
    "Namunalarni yetkazib berish",
    "Uchrashuv natijalarini yozish",
    "Hisob-fakturani yuborish",
    "Omborga buyurtmani tasdiqlash",
];

const CALL_NOTES: &[&str] = &[
    "Narxlar bo'yicha so'radi, taklif kutmoqda",
    "Yetkazib berish muddatini aniqladik",
    "Yangi partiya kerak, hajmi keyin aytiladi",
    "To'lov kechikishini tushuntirdi, juma kuni to'laydi",
    "Direktor bilan uchrashuvga rozi",
];

/// A working day for the demo staff: each one's "My day" has overdue, today's and coming tasks on their own
/// customers, and those customers' timelines have calls, meetings (one planned for tomorrow), notes, SMS
/// and e-mails of the last two weeks, made through the services like a user's. Returns (tasks,
/// interactions).
pub async fn seed_demo_activity(db: &Db, seed: u64) -> Result<(usize, usize), AppError> {
    use app::interactions::{InteractionKind, NewInteraction};
    let staff: Vec<i64> = db_run!(db, p => sqlx::query_scalar(
        "SELECT id FROM users WHERE email LIKE 'demo%@karvon.uz' ORDER BY id").fetch_all(p).await)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let (now, hour, day) = (app::core::now_millis(), 3_600_000i64, 86_400_000i64);
    let today = app::core::format::day_start(now);
    let (mut tasks, mut interactions) = (0, 0);
    for id in staff {
        let Some(user) = auth_store::load_user(db, id).await? else { continue };
        let customers: Vec<i64> = db_run!(db, p => sqlx::query_scalar(
            "SELECT id FROM customers WHERE manager_id = $1 AND archived_at IS NULL ORDER BY id DESC LIMIT 8")
            .bind(id).fetch_all(p).await)?;
        if customers.is_empty() {
            continue;
        }
        // Two overdue, three today (morning, afternoon, evening), three in the coming days.
        let dues = [
            now - 2 * day,
            now - 5 * hour,
            today + 10 * hour,
            today + 15 * hour,
            today + 18 * hour,
            today + day + 11 * hour,
            today + 3 * day + 10 * hour,
            today + 6 * day + 16 * hour,
        ];
        for (k, due) in dues.into_iter().enumerate() {
            let task = app::tasks::NewTask {
                title: TASK_TITLES[(k + id as usize) % TASK_TITLES.len()].to_string(),
                notes: None,
                due_at: due,
                assignee_id: None,
                customer_id: Some(customers[k % customers.len()]),
                contact_id: None,
                deal_id: None,
                remind_at: (due > now).then_some(due - 15 * 60_000),
            };
            app::tasks::service::create(db, &user, &task).await?;
            tasks += 1;
        }
        for (k, customer) in customers.iter().enumerate() {
            let at = now - rng.gen_range(1..14) * day - rng.gen_range(0..8) * hour;
            let note = CALL_NOTES[rng.gen_range(0..CALL_NOTES.len())].to_string();
            let base =
                NewInteraction { occurred_at: Some(at), ..NewInteraction::new(*customer, InteractionKind::Call) };
            let mut made = vec![NewInteraction {
                direction: Some(if k % 2 == 0 { "out" } else { "in" }.into()),
                duration_secs: Some(rng.gen_range(40..600)),
                body: Some(note),
                ..base.clone()
            }];
            match k % 4 {
                0 => made.push(NewInteraction {
                    kind: InteractionKind::Meeting,
                    place: Some("Mijoz ofisi".into()),
                    participants: Some("Direktor, ta'minot bo'limi".into()),
                    duration_secs: Some(3600),
                    result: Some("Hajm va narxlar kelishildi".into()),
                    occurred_at: Some(at + day),
                    ..base.clone()
                }),
                1 => made.push(NewInteraction {
                    kind: InteractionKind::Sms,
                    direction: Some("out".into()),
                    body: Some("Assalomu alaykum! Taklifimiz e-pochtangizga yuborildi.".into()),
                    ..base.clone()
                }),
                2 => made.push(NewInteraction {
                    kind: InteractionKind::Email,
                    direction: Some("in".into()),
                    subject: Some("Buyurtma bo'yicha savol".into()),
                    body: Some("Yetkazib berish narxini ham yozib yuboring.".into()),
                    ..base.clone()
                }),
                _ => made.push(NewInteraction {
                    kind: InteractionKind::Note,
                    body: Some("Yil oxirigacha katta buyurtma rejalashtirmoqda".into()),
                    ..base.clone()
                }),
            }
            if k == 0 {
                made.push(NewInteraction {
                    kind: InteractionKind::Meeting,
                    place: Some("Bizning ofis".into()),
                    occurred_at: Some(today + day + 11 * hour),
                    ..base.clone()
                });
            }
            for i in made {
                app::interactions::service::create(db, &user, &i).await?;
                interactions += 1;
            }
        }
    }
    Ok((tasks, interactions))
}
