//! `karvon seed-demo`: realistic demo data (Uzbek, Russian and English names, UZ phone numbers).

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use app::auth::{Role, store as auth_store};
use app::core::AppError;
use app::core::db::Db;
use app::customers::{CustomerKind, CustomerStage, CustomerValues, store as customer_store};

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
    let phone = format!(
        "+998{}{:03}{:02}{:02}",
        pick(rng, OPERATORS),
        rng.gen_range(0..1000),
        rng.gen_range(0..100),
        rng.gen_range(0..100)
    );
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

/// Inserts `count` customers spread over the demo managers, in batches.
pub async fn seed_customers(db: &Db, count: u64, seed: u64) -> Result<(), AppError> {
    let managers = demo_staff(db).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let start = app::core::now_millis() - 365 * 86_400_000;
    let mut batch = Vec::with_capacity(2000);
    for n in 0..count {
        let manager = managers[rng.gen_range(0..managers.len())];
        let at = start + (n as i64 * 365 * 86_400_000 / count.max(1) as i64);
        batch.push((demo_customer(&mut rng, n), manager, at));
        if batch.len() == 2000 {
            customer_store::insert_many(db, &batch).await?;
            batch.clear();
        }
    }
    customer_store::insert_many(db, &batch).await
}
