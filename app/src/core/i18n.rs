//! Every UI string in Uzbek (Latin), Russian and English. A missing translation is a compile error.

use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Uz,
    Ru,
    En,
}

impl Lang {
    /// All languages, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Uz, Lang::Ru, Lang::En];

    /// The BCP 47 code (`uz`, `ru`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Uz => "uz",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's own name.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Uz => "O'zbekcha",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// Parses a code such as `ru` or `uz-Latn-UZ`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "uz" => Some(Lang::Uz),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::from_code) else { continue };
            let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

macro_rules! messages {
    ($($key:ident => [$uz:expr, $ru:expr, $en:expr]),* $(,)?) => {
        /// A translatable UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        /// Every message in one language, in the order of [`Msg`]. The server has all three; the browser
        /// gets only the page's language, as JSON in the page (see [`Msg::pack_json`]), so the WASM module
        /// carries no UI text.
        #[cfg(not(feature = "hydrate"))]
        fn table(lang: Lang) -> &'static [&'static str] {
            match lang {
                Lang::Uz => &[$($uz),*],
                Lang::Ru => &[$($ru),*],
                Lang::En => &[$($en),*],
            }
        }
    };
}

impl Msg {
    /// The text in `lang`.
    #[cfg(not(feature = "hydrate"))]
    pub fn text(self, lang: Lang) -> &'static str {
        table(lang)[self as usize]
    }

    /// The text in the page's language (language changes are full page loads, so it is the only one the
    /// browser needs).
    #[cfg(feature = "hydrate")]
    pub fn text(self, _lang: Lang) -> &'static str {
        pack::get(self as usize)
    }

    /// The browser's language pack: every message in `lang` as a JSON array (with `<` escaped, for a
    /// `<script>` element), built once per language.
    #[cfg(feature = "ssr")]
    pub fn pack_json(lang: Lang) -> &'static str {
        static PACKS: std::sync::LazyLock<[String; 3]> = std::sync::LazyLock::new(|| {
            Lang::ALL.map(|l| serde_json::to_string(table(l)).unwrap_or_default().replace('<', "\\u003c"))
        });
        &PACKS[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
    }
}

impl Msg {
    /// A counted message (`"{} письмо|{} письма|{} писем"`: its forms separated by `|`) for `n`, with `n`
    /// written in the language's style. The form is chosen by the language's plural rule (CLDR cardinals):
    /// Russian one / few / many (1 письмо, 2 письма, 5 писем, 11 писем, 21 письмо); English one / other;
    /// Uzbek keeps the noun singular after a numeral (1 ta xat, 5 ta xat), so it has one form.
    pub fn counted(self, lang: Lang, n: i64) -> String {
        let forms: Vec<&str> = self.text(lang).split('|').collect();
        let form = forms.get(plural_index(lang, n)).or(forms.last()).copied().unwrap_or_default();
        form.replace("{}", &crate::core::format::number(lang, n.into()))
    }
}

/// Which of a counted message's forms `n` takes in `lang` (see [`Msg::counted`]).
pub fn plural_index(lang: Lang, n: i64) -> usize {
    let n = n.unsigned_abs();
    match lang {
        Lang::Ru => match (n % 10, n % 100) {
            (1, h) if h != 11 => 0,
            (2..=4, h) if !(12..=14).contains(&h) => 1,
            _ => 2,
        },
        Lang::En => usize::from(n != 1),
        Lang::Uz => 0,
    }
}

/// The id of the `<script type="application/json">` that carries the page's language pack.
pub const PACK_SCRIPT_ID: &str = "karvon-i18n";

#[cfg(feature = "hydrate")]
mod pack {
    use std::sync::OnceLock;

    static PACK: OnceLock<Vec<&'static str>> = OnceLock::new();

    /// Message `i` of the page's pack, read from the document once (and kept for the page's life).
    pub fn get(i: usize) -> &'static str {
        PACK.get_or_init(load).get(i).copied().unwrap_or("")
    }

    fn load() -> Vec<&'static str> {
        let json = leptos::prelude::document()
            .get_element_by_id(super::PACK_SCRIPT_ID)
            .and_then(|el| el.text_content())
            .unwrap_or_default();
        let texts: Vec<String> = serde_json::from_str(&json).unwrap_or_default();
        texts.into_iter().map(|t| &*Box::leak(t.into_boxed_str())).collect()
    }
}

messages! {
    AppName => ["Karvon", "Karvon", "Karvon"],
    Tagline => ["Mijozlar bilan ishlash tizimi", "Система работы с клиентами", "Customer relationship management"],
    NavHome => ["Bosh sahifa", "Главная", "Home"],
    NavCustomers => ["Mijozlar", "Клиенты", "Customers"],
    NavUsers => ["Foydalanuvchilar", "Пользователи", "Users"],
    NavTeams => ["Jamoalar", "Команды", "Teams"],
    NavModules => ["Modullar", "Модули", "Modules"],
    NavProfile => ["Profil", "Профиль", "Profile"],
    NavApiDocs => ["API hujjatlari", "Документация API", "API documentation"],
    NavMenu => ["Menyu", "Меню", "Menu"],
    NavSettings => ["Sozlamalar", "Настройки", "Settings"],
    SearchPlaceholder => ["Mijozlarni qidirish…", "Поиск клиентов…", "Search customers…"],
    Search => ["Qidirish", "Найти", "Search"],
    Language => ["Til", "Язык", "Language"],
    LogIn => ["Kirish", "Войти", "Log in"],
    LogOut => ["Chiqish", "Выйти", "Log out"],
    LoginTitle => ["Tizimga kirish", "Вход в систему", "Sign in to Karvon"],
    Email => ["Elektron pochta", "Эл. почта", "E-mail"],
    Password => ["Parol", "Пароль", "Password"],
    PasswordRepeat => ["Parolni takrorlang", "Повторите пароль", "Repeat password"],
    CurrentPassword => ["Joriy parol", "Текущий пароль", "Current password"],
    NewPassword => ["Yangi parol", "Новый пароль", "New password"],
    ChangePassword => ["Parolni o'zgartirish", "Сменить пароль", "Change password"],
    PasswordChanged => ["Parol o'zgartirildi", "Пароль изменён", "Password changed"],
    FullName => ["To'liq ism", "Полное имя", "Full name"],
    SetupTitle => ["Administratorni yarating", "Создайте администратора", "Create the administrator"],
    SetupIntro => [
        "Karvon hali sozlanmagan. Birinchi foydalanuvchi administrator bo'ladi.",
        "Karvon ещё не настроен. Первый пользователь станет администратором.",
        "Karvon is not set up yet. The first user becomes the administrator."
    ],
    SetupCreate => ["Administratorni yaratish", "Создать администратора", "Create administrator"],
    Welcome => ["Xush kelibsiz", "Добро пожаловать", "Welcome"],
    HomeMyCustomers => ["Mening mijozlarim", "Мои клиенты", "My customers"],
    HomeAllCustomers => ["Ko'rinadigan mijozlar", "Доступные клиенты", "Customers you can see"],
    Customers => ["Mijozlar", "Клиенты", "Customers"],
    Customer => ["Mijoz", "Клиент", "Customer"],
    NewCustomer => ["Yangi mijoz", "Новый клиент", "New customer"],
    EditCustomer => ["Mijozni tahrirlash", "Редактировать клиента", "Edit customer"],
    Name => ["Nomi", "Название", "Name"],
    Kind => ["Turi", "Тип", "Kind"],
    KindCompany => ["Kompaniya", "Компания", "Company"],
    KindPerson => ["Jismoniy shaxs", "Физическое лицо", "Person"],
    Phone => ["Telefon", "Телефон", "Phone"],
    Notes => ["Izohlar", "Заметки", "Notes"],
    Manager => ["Mas'ul menejer", "Ответственный менеджер", "Responsible manager"],
    CreatedAt => ["Yaratilgan", "Создан", "Created"],
    UpdatedAt => ["O'zgartirilgan", "Изменён", "Updated"],
    Save => ["Saqlash", "Сохранить", "Save"],
    Saved => ["Saqlandi", "Сохранено", "Saved"],
    Create => ["Yaratish", "Создать", "Create"],
    Cancel => ["Bekor qilish", "Отмена", "Cancel"],
    Edit => ["Tahrirlash", "Изменить", "Edit"],
    Next => ["Keyingi", "Далее", "Next"],
    FirstPage => ["Boshiga", "В начало", "First page"],
    NothingFound => ["Hech narsa topilmadi", "Ничего не найдено", "Nothing found"],
    NoCustomersYet => ["Hali mijozlar yo'q", "Клиентов пока нет", "No customers yet"],
    Timeline => ["Tarix", "Хронология", "Timeline"],
    TimelineEmpty => [
        "Hozircha voqealar yo'q. Qo'ng'iroqlar, uchrashuvlar va bitimlar shu yerda paydo bo'ladi.",
        "Событий пока нет. Здесь появятся звонки, встречи и сделки.",
        "No events yet. Calls, meetings and deals will appear here."
    ],
    Loading => ["Yuklanmoqda…", "Загрузка…", "Loading…"],
    Users => ["Foydalanuvchilar", "Пользователи", "Users"],
    NewUser => ["Yangi foydalanuvchi", "Новый пользователь", "New user"],
    Role => ["Rol", "Роль", "Role"],
    RoleAdmin => ["Administrator", "Администратор", "Administrator"],
    RoleSalesHead => ["Savdo bo'limi boshlig'i", "Руководитель отдела продаж", "Sales head"],
    RoleManager => ["Menejer", "Менеджер", "Manager"],
    Team => ["Jamoa", "Команда", "Team"],
    NoTeam => ["Jamoasiz", "Без команды", "No team"],
    Teams => ["Jamoalar", "Команды", "Teams"],
    NewTeam => ["Yangi jamoa", "Новая команда", "New team"],
    Active => ["Faol", "Активен", "Active"],
    Inactive => ["Faol emas", "Отключён", "Deactivated"],
    Deactivate => ["O'chirish", "Отключить", "Deactivate"],
    Activate => ["Yoqish", "Включить", "Activate"],
    Status => ["Holat", "Статус", "Status"],
    Modules => ["Modullar", "Модули", "Modules"],
    ModulesIntro => [
        "Ishlatilmaydigan modullarni o'chiring: ular menyudan va API'dan yo'qoladi.",
        "Отключите неиспользуемые модули: они исчезнут из меню и API.",
        "Switch off what you do not use: it vanishes from the menu and the API."
    ],
    Enabled => ["Yoqilgan", "Включён", "On"],
    Disabled => ["O'chirilgan", "Выключен", "Off"],
    TurnOn => ["Yoqish", "Включить", "Turn on"],
    TurnOff => ["O'chirish", "Выключить", "Turn off"],
    ModuleCustomers => ["Mijozlar bazasi", "База клиентов", "Customer base"],
    ApiTokens => ["API tokenlari", "API-токены", "API tokens"],
    ApiTokensIntro => [
        "Integratsiyalar uchun shaxsiy tokenlar. Token faqat bir marta ko'rsatiladi.",
        "Личные токены для интеграций. Токен показывается один раз.",
        "Personal tokens for integrations. A token is shown only once."
    ],
    TokenName => ["Token nomi", "Название токена", "Token name"],
    TokenAccess => ["Ruxsat", "Доступ", "Access"],
    TokenRead => ["Faqat o'qish", "Только чтение", "Read only"],
    TokenWrite => ["O'qish va yozish", "Чтение и запись", "Read and write"],
    TokenExpires => ["Amal qilish muddati", "Срок действия", "Expires"],
    TokenNoExpiry => ["Muddatsiz", "Бессрочно", "Never"],
    TokenExpired => ["Muddati o'tgan", "Истёк", "Expired"],
    TokenOwner => ["Egasi", "Владелец", "Owner"],
    AllApiTokens => ["Barcha API tokenlari", "Все API-токены", "All API tokens"],
    AllApiTokensIntro => ["Har bir foydalanuvchining tokenlari: ketgan xodimning yoki sizib chiqqan tokenni shu yerda bekor qiling.", "Токены всех пользователей: здесь отзывают токен ушедшего сотрудника или утёкший токен.", "Every user's tokens: revoke a departed colleague's or a leaked one here."],
    DaysWord => ["{} kun", "{} день|{} дня|{} дней", "{} day|{} days"],
    NewToken => ["Token yaratish", "Создать токен", "Create token"],
    TokenCreated => ["Yangi token (nusxa oling, qayta ko'rsatilmaydi)", "Новый токен (скопируйте, он больше не будет показан)", "New token (copy it now, it will not be shown again)"],
    Revoke => ["Bekor qilish", "Отозвать", "Revoke"],
    Revoked => ["Bekor qilingan", "Отозван", "Revoked"],
    LastUsed => ["Oxirgi foydalanish", "Последнее использование", "Last used"],
    Never => ["Hech qachon", "Никогда", "Never"],
    NotFoundTitle => ["Sahifa topilmadi", "Страница не найдена", "Page not found"],
    BackHome => ["Bosh sahifaga", "На главную", "Back to home"],
    Version => ["Versiya", "Версия", "Version"],
    ErrValidation => ["Maydonlarni tekshiring", "Проверьте поля", "Please check the fields"],
    ErrNotFound => ["Topilmadi", "Не найдено", "Not found"],
    ErrConflict => [
        "Yozuvni boshqa foydalanuvchi o'zgartirdi. Sahifani yangilang va qayta urinib ko'ring.",
        "Запись изменил другой пользователь. Обновите страницу и повторите.",
        "Someone else changed this record. Reload the page and try again."
    ],
    ErrForbidden => ["Bunga ruxsatingiz yo'q", "Недостаточно прав", "You are not allowed to do this"],
    ErrUnauthenticated => ["Iltimos, tizimga kiring", "Пожалуйста, войдите", "Please log in"],
    ErrPasswordChangeRequired => ["Administrator sizga vaqtinchalik parol berdi: davom etish uchun o'z parolingizni tanlang.", "Администратор задал вам временный пароль: чтобы продолжить, выберите свой.", "Your administrator set a temporary password: choose your own to continue."],
    ErrBadCredentials => ["Elektron pochta yoki parol noto'g'ri", "Неверная эл. почта или пароль", "Wrong e-mail or password"],
    ErrRateLimited => [
        "Urinishlar juda ko'p. Bir daqiqadan so'ng qayta urinib ko'ring.",
        "Слишком много попыток. Повторите через минуту.",
        "Too many attempts. Try again in a minute."
    ],
    ErrPayloadTooLarge => ["So'rov juda katta", "Слишком большой запрос", "The request is too large"],
    ErrBadRequest => ["Noto'g'ri so'rov", "Неверный запрос", "Bad request"],
    ErrInternal => ["Ichki xatolik", "Внутренняя ошибка", "Internal error"],
    ErrTransport => ["Server bilan aloqa yo'q", "Нет связи с сервером", "Could not reach the server"],
    ErrRequired => ["To'ldirilishi shart", "Обязательное поле", "Required"],
    ErrTooLong => ["Juda uzun", "Слишком длинно", "Too long"],
    ErrTooShort => ["Juda qisqa (kamida 8 belgi)", "Слишком коротко (не менее 8 символов)", "Too short (at least 8 characters)"],
    ErrInvalidEmail => ["Elektron pochta manzili noto'g'ri", "Неверный адрес эл. почты", "Not a valid e-mail address"],
    ErrInvalidPhone => ["Telefon raqami noto'g'ri", "Неверный номер телефона", "Not a valid phone number"],
    ErrEmailTaken => ["Bu pochta allaqachon band", "Эта почта уже занята", "This e-mail is already in use"],
    ErrNameTaken => ["Bu nom allaqachon band", "Это название уже занято", "This name is already taken"],
    ErrInvalidChoice => ["Noto'g'ri tanlov", "Недопустимое значение", "Not a valid choice"],
    ErrIdempotencyKeyReused => ["Bu kalit boshqa so'rov uchun ishlatilgan", "Этот ключ уже использован для другого запроса", "This key was used for a different request"],
    ErrOwnPasswordInProfile => ["O'z parolingizni profilda o'zgartiring", "Свой пароль меняйте в профиле", "Change your own password in your profile"],
    SetPassword => ["Parol berish", "Задать пароль", "Set password"],
    SetPasswordHint => ["Vaqtinchalik parol: foydalanuvchi barcha qurilmalardan chiqariladi, tokenlari bekor qilinadi va keyingi kirishda o'z parolini tanlaydi.", "Временный пароль: пользователь выйдет на всех устройствах, его токены будут отозваны, а при следующем входе он выберет свой пароль.", "A temporary password: the user is signed out everywhere, their tokens are revoked, and they choose their own at their next sign-in."],
    PasswordSet => ["Parol berildi", "Пароль задан", "Password set"],
    ErrWrongPassword => ["Parol noto'g'ri", "Неверный пароль", "Wrong password"],
    ErrPasswordsDiffer => ["Parollar mos emas", "Пароли не совпадают", "Passwords do not match"],
    ErrNotANumber => ["Son emas", "Не число", "Not a number"],
    ErrTooMany => ["Juda ko'p qiymat", "Слишком много значений", "Too many values"],
    ErrInvalidTaxId => [
        "STIR 9 ta raqamdan iborat bo'lishi kerak",
        "ИНН должен состоять из 9 цифр",
        "A taxpayer id (STIR/INN) has 9 digits"
    ],
    ErrTaxIdTaken => [
        "Bu STIR bilan kontragent allaqachon bor: uni ko'chiring",
        "Контрагент с этим ИНН уже есть: перенесите его",
        "A counterparty with this taxpayer id exists already: move it instead"
    ],
    ErrInvalidCountry => ["Mamlakat kodi noto'g'ri (masalan, UZ)", "Неверный код страны (например, UZ)", "Not a country code (e.g. UZ)"],
    ErrInvalidBankCode => ["Bank MFO kodi 5 ta raqam", "МФО банка: 5 цифр", "A bank code (MFO) has 5 digits"],
    ErrInvalidBankAccount => ["Hisob raqami 20 ta raqam", "Расчётный счёт: 20 цифр", "An account number has 20 digits"],
    ErrInvalidDate => ["Sana noto'g'ri", "Неверная дата", "Not a valid date"],
    ErrInvalidKey => ["Faqat lotin kichik harflari, raqamlar va _ (harf bilan boshlanadi)", "Только строчные латинские буквы, цифры и _ (начиная с буквы)", "Only lower-case Latin letters, digits and _ (starting with a letter)"],
    ErrKeyTaken => ["Bu kalit allaqachon band", "Этот ключ уже занят", "This key is already in use"],
    ErrInvalidUrl => ["Havola http:// yoki https:// bilan boshlanishi kerak", "Ссылка должна начинаться с http:// или https://", "A link must start with http:// or https://"],
    ErrUnknownField => ["Bunday qo'shimcha maydon yo'q", "Такого дополнительного поля нет", "There is no such custom field"],
    ErrFieldRetired => ["Bu maydon arxivlangan va o'zgartirilmaydi", "Это поле в архиве и не изменяется", "This field is retired and cannot be changed"],
    ErrTooPrecise => ["Kasr qismidagi raqamlar juda ko'p", "Слишком много знаков после запятой", "Too many decimal places"],
    ErrTooLarge => ["Qiymat juda katta", "Слишком большое значение", "The value is too large"],
    Segments => ["Segmentlar", "Сегменты", "Segments"],
    NavSegments => ["Segmentlar", "Сегменты", "Segments"],
    Segment => ["Segment", "Сегмент", "Segment"],
    NoSegments => ["Hali segmentlar yo'q", "Сегментов пока нет", "No segments yet"],
    Members => ["A'zolar", "Участники", "Members"],
    MembersCount => ["Mijozlar soni", "Клиентов в сегменте", "Customers in the segment"],
    NewSegment => ["Yangi segment", "Новый сегмент", "New segment"],
    Match => ["Shartlar", "Условия", "Match"],
    MatchAll => ["Barcha shartlar bajarilsin", "Все условия", "All rules"],
    MatchAny => ["Istalgan shart bajarilsin", "Любое из условий", "Any rule"],
    RetakeSnapshot => ["Qayta hisoblash", "Пересобрать", "Retake snapshot"],
    Rule => ["Shart", "Условие", "Rule"],
    Rules => ["Shartlar", "Условия", "Rules"],
    RuleField => ["Maydon", "Поле", "Field"],
    RuleOp => ["Taqqoslash", "Сравнение", "Comparison"],
    RuleValue => ["Qiymat", "Значение", "Value"],
    RulesHint => [
        "Bir nechta qiymat vergul bilan. Sana: YYYY-MM-DD. Bosqich: potential, one_time, regular, lost. Menejer va jamoa: raqami (ID).",
        "Несколько значений через запятую. Дата: ГГГГ-ММ-ДД. Стадия: potential, one_time, regular, lost. Менеджер и команда: номер (ID).",
        "Several values separated by commas. Dates: YYYY-MM-DD. Stage: potential, one_time, regular, lost. Manager and team: their number (ID)."
    ],
    ManagerId => ["Menejer (ID)", "Менеджер (ID)", "Manager (ID)"],
    TeamId => ["Jamoa (ID)", "Команда (ID)", "Team (ID)"],
    SegDynamic => ["Dinamik", "Динамический", "Dynamic"],
    SegStatic => ["Statik (surat)", "Статический (снимок)", "Static (snapshot)"],
    OpEq => ["teng", "равно", "is"],
    OpNe => ["teng emas", "не равно", "is not"],
    OpContains => ["o'z ichiga oladi", "содержит", "contains"],
    OpGt => ["dan katta", "больше", "greater than"],
    OpGte => ["dan katta yoki teng", "не меньше", "at least"],
    OpLt => ["dan kichik", "меньше", "less than"],
    OpLte => ["dan kichik yoki teng", "не больше", "at most"],
    OpIn => ["biri", "одно из", "one of"],
    OpIsSet => ["to'ldirilgan", "заполнено", "is set"],
    OpNotSet => ["bo'sh", "не заполнено", "is empty"],
    AllCustomers => ["Barcha mijozlar", "Все клиенты", "All customers"],
    AnyStage => ["Har qanday bosqich", "Любая стадия", "Any stage"],
    SortBy => ["Tartib", "Сортировка", "Sort by"],
    SortNewest => ["Avval yangilari", "Сначала новые", "Newest first"],
    SortOldest => ["Avval eskilari", "Сначала старые", "Oldest first"],
    SortName => ["Nomi A–Z", "Название А–Я", "Name A–Z"],
    SortNameDesc => ["Nomi Z–A", "Название Я–А", "Name Z–A"],
    ErrMergeIntoItself => ["Mijozni o'zi bilan birlashtirib bo'lmaydi", "Нельзя объединить клиента с самим собой", "A customer cannot be merged into itself"],
    SamePhone => ["telefon bir xil", "тот же телефон", "same phone"],
    SameEmail => ["e-pochta bir xil", "та же эл. почта", "same e-mail"],
    SimilarName => ["nomi o'xshash", "похожее название", "similar name"],
    PossibleDuplicates => ["Ehtimol, bu mijoz allaqachon bor", "Возможно, этот клиент уже есть", "This customer may already exist"],
    Merge => ["Birlashtirish", "Объединить", "Merge"],
    MergeTitle => ["Mijozlarni birlashtirish", "Объединение клиентов", "Merge customers"],
    MergeHint => [
        "Har bir maydon uchun qaysi qiymat qolishini tanlang. Teglar birlashtiriladi; kontaktlar, kontragentlar va tarix qoladigan mijozga o'tadi.",
        "Выберите, какое значение каждого поля останется. Теги объединяются; контакты, контрагенты и история переходят к оставшемуся клиенту.",
        "Choose which value of each field stays. Tags are united; contacts, counterparties and history move to the customer that stays."
    ],
    Survivor => ["Qoladi", "Остаётся", "Stays"],
    MergedAway => ["Qo'shiladi", "Присоединяется", "Merged into it"],
    MergedFrom => ["Qo'shilgan mijoz", "Присоединённый клиент", "Merged customer"],
    EvMerged => ["birlashtirildi", "объединён", "merged"],
    EvMergedAway => ["boshqa mijozga qo'shildi", "присоединён к другому клиенту", "merged into another customer"],
    ErrEmptyFile => ["Fayl bo'sh", "Файл пуст", "The file is empty"],
    ErrUnreadableFile => [
        "Faylni o'qib bo'lmadi: CSV yoki Excel (.xlsx, .xls) yuklang",
        "Не удалось прочитать файл: загрузите CSV или Excel (.xlsx, .xls)",
        "The file could not be read: upload a CSV or an Excel (.xlsx, .xls) file"
    ],
    ErrFormula => [
        "Formulalar qabul qilinmaydi (= bilan boshlanadi)",
        "Формулы не принимаются (начинаются с =)",
        "Formulas are not accepted (they start with =)"
    ],
    ErrRaggedRow => ["Qatorda sarlavhadagidan ko'p ustun bor", "В строке больше столбцов, чем в заголовке", "The row has more columns than the header"],
    ErrNameNotMapped => ["Nom qaysi ustunda ekanini tanlang", "Укажите столбец с названием", "Choose the column that holds the name"],
    ErrNotYours => ["Bu mijozni o'zgartirishga ruxsat yo'q", "Нет прав изменять этого клиента", "You may not change this customer"],
    ErrOutOfRange => ["Qiymat ruxsat etilgan oraliqdan tashqarida", "Значение вне допустимого диапазона", "Out of the allowed range"],
    ErrEndBeforeStart => ["Tugash vaqti boshlanishidan oldin", "Окончание раньше начала", "The end is before the start"],
    ErrControlCharacter => [
        "Matnda ruxsat etilmagan belgi bor (NUL)",
        "В тексте недопустимый символ (NUL)",
        "The text holds a character that is not allowed (NUL)"
    ],
    ErrAttachmentTooLarge => ["Fayl juda katta (10 MB gacha)", "Файл слишком большой (до 10 МБ)", "The file is too large (10 MB at most)"],
    ModuleInteractions => ["Muloqotlar", "Взаимодействия", "Interactions"],
    NavInteractions => ["Muloqotlar", "Взаимодействия", "Interactions"],
    Interactions => ["Muloqotlar", "Взаимодействия", "Interactions"],
    IntMeeting => ["Uchrashuv", "Встреча", "Meeting"],
    IntCall => ["Qo'ng'iroq", "Звонок", "Call"],
    IntSms => ["SMS", "SMS", "SMS"],
    IntEmail => ["E-pochta", "Письмо", "E-mail"],
    IntNote => ["Eslatma", "Заметка", "Note"],
    StPlanned => ["Rejalashtirilgan", "Запланирована", "Planned"],
    StHeld => ["O'tkazildi", "Состоялась", "Held"],
    StCancelled => ["Bekor qilindi", "Отменена", "Cancelled"],
    StAnswered => ["Gaplashildi", "Состоялся", "Answered"],
    StMissed => ["O'tkazib yuborilgan", "Пропущен", "Missed"],
    StQueued => ["Navbatda", "В очереди", "Queued"],
    StSent => ["Yuborildi", "Отправлено", "Sent"],
    StDelivered => ["Yetkazildi", "Доставлено", "Delivered"],
    StFailed => ["Yuborilmadi", "Не отправлено", "Failed"],
    StReceived => ["Qabul qilindi", "Получено", "Received"],
    StDone => ["Yozildi", "Записано", "Recorded"],
    DirIn => ["Kiruvchi", "Входящий", "Incoming"],
    DirOut => ["Chiquvchi", "Исходящий", "Outgoing"],
    Direction => ["Yo'nalish", "Направление", "Direction"],
    LogInteraction => ["Muloqotni yozish", "Записать взаимодействие", "Log an interaction"],
    When => ["Qachon", "Когда", "When"],
    DurationMin => ["Davomiyligi, daqiqa", "Длительность, мин", "Duration, min"],
    Place => ["Joy", "Место", "Place"],
    Participants => ["Ishtirokchilar", "Участники", "Participants"],
    Subject => ["Mavzu", "Тема", "Subject"],
    ContactPerson => ["Aloqa shaxsi", "Контактное лицо", "Contact person"],
    Summary => ["Mazmuni", "Содержание", "Summary"],
    Result => ["Natija", "Результат", "Result"],
    MarkHeld => ["O'tkazildi", "Состоялась", "Held"],
    MarkCancelled => ["Bekor qilish", "Отменить", "Cancel it"],
    AttachFile => ["Fayl biriktirish", "Прикрепить файл", "Attach a file"],
    AnyKind => ["Barcha turlar", "Все типы", "All kinds"],
    AnyStatus => ["Har qanday holat", "Любой статус", "Any status"],
    Everyone => ["Hamma", "Все", "Everyone"],
    FromDate => ["Dan", "С", "From"],
    ToDate => ["Gacha", "По", "To"],
    ErrReminderAfterDue => ["Eslatma muddatdan keyin bo'lmasin", "Напоминание должно быть не позже срока", "The reminder must not be after the due time"],
    ModuleTasks => ["Vazifalar va taqvim", "Задачи и календарь", "Tasks and calendar"],
    NavMyDay => ["Mening kunim", "Мой день", "My day"],
    MyDay => ["Mening kunim", "Мой день", "My day"],
    Tasks => ["Vazifalar", "Задачи", "Tasks"],
    NewTask => ["Yangi vazifa", "Новая задача", "New task"],
    TaskTitle => ["Nima qilish kerak", "Что сделать", "What to do"],
    DueAt => ["Muddat", "Срок", "Due"],
    Reminder => ["Eslatma", "Напоминание", "Reminder"],
    NoReminder => ["Eslatmasiz", "Без напоминания", "No reminder"],
    RemindAtDue => ["Muddat vaqtida", "В срок", "At the due time"],
    Remind15 => ["15 daqiqa oldin", "За 15 минут", "15 minutes before"],
    Remind60 => ["1 soat oldin", "За 1 час", "1 hour before"],
    Remind1440 => ["1 kun oldin", "За 1 день", "1 day before"],
    Assignee => ["Ijrochi", "Исполнитель", "Assignee"],
    MarkDone => ["Bajarildi deb belgilash", "Отметить выполненной", "Mark done"],
    MarkUndone => ["Qayta ochish", "Вернуть в работу", "Mark not done"],
    Overdue => ["Muddati o'tgan", "Просрочено", "Overdue"],
    Today => ["Bugun", "Сегодня", "Today"],
    Upcoming => ["Keyingi", "Предстоящие", "Upcoming"],
    NoTasks => ["Vazifa yo'q", "Задач нет", "No tasks"],
    NoOpenTasks => ["Ochiq vazifa yo'q", "Открытых задач нет", "No open tasks"],
    AndMore => ["Yana {} ta", "И ещё {}", "And {} more"],
    Show => ["Ko'rsatish", "Показать", "Show"],
    Notifications => ["Bildirishnomalar", "Уведомления", "Notifications"],
    EnableNotifications => ["Brauzer bildirishnomalarini yoqish", "Включить уведомления браузера", "Turn on browser notifications"],
    Dismiss => ["Yopish", "Закрыть", "Dismiss"],
    Open => ["Ochish", "Открыть", "Open"],
    Calendar => ["Taqvim", "Календарь", "Calendar"],
    PhoneExt => ["Ichki raqam", "Внутренний номер", "Extension"],
    ErrSmsNotConfigured => ["SMS shlyuzi sozlanmagan", "SMS-шлюз не настроен", "No SMS gateway is set up"],
    SendViaGateway => ["SMS shlyuz orqali yuborish", "Отправить через SMS-шлюз", "Send through the SMS gateway"],
    NavCalendar => ["Taqvim", "Календарь", "Calendar"],
    DayView => ["Kun", "День", "Day"],
    WeekView => ["Hafta", "Неделя", "Week"],
    MyCalendar => ["Mening taqvimim", "Мой календарь", "My calendar"],
    WholeTeam => ["Butun jamoa", "Вся команда", "Whole team"],
    WdMon => ["Dushanba", "Понедельник", "Monday"],
    WdTue => ["Seshanba", "Вторник", "Tuesday"],
    WdWed => ["Chorshanba", "Среда", "Wednesday"],
    WdThu => ["Payshanba", "Четверг", "Thursday"],
    WdFri => ["Juma", "Пятница", "Friday"],
    WdSat => ["Shanba", "Суббота", "Saturday"],
    WdSun => ["Yakshanba", "Воскресенье", "Sunday"],
    CalendarFeed => ["Taqvim ilovasiga obuna", "Подписка в приложении календаря", "Subscribe in a calendar app"],
    CalendarFeedIntro => [
        "Shaxsiy havola: Google Calendar, Outlook yoki Thunderbird unga obuna bo'lib, uchrashuv va vazifalaringizni ko'rsatadi.",
        "Личная ссылка: Google Calendar, Outlook или Thunderbird подписываются на неё и показывают ваши встречи и задачи.",
        "A private link: Google Calendar, Outlook or Thunderbird subscribe to it and show your meetings and tasks."
    ],
    CalendarFeedCopy => [
        "Havolani hozir nusxalang: u boshqa ko'rsatilmaydi.",
        "Скопируйте ссылку сейчас: больше она показана не будет.",
        "Copy the link now: it will not be shown again."
    ],
    CalendarFeedMake => ["Havola yaratish", "Создать ссылку", "Make a link"],
    CalendarFeedRenew => ["Yangi havola (eskisi o'chadi)", "Новая ссылка (старая перестанет работать)", "New link (the old one stops working)"],
    CalendarFeedOff => ["Havolani o'chirish", "Отключить ссылку", "Turn the link off"],
    ManagerEmail => ["Menejer (e-pochta)", "Менеджер (эл. почта)", "Manager (e-mail)"],
    ImportField => ["Import", "Импорт", "Import"],
    ImportUploaded => ["Yuklandi", "Загружен", "Uploaded"],
    ImportRunning => ["Import qilinmoqda", "Идёт импорт", "Importing"],
    ImportDone => ["Tugadi", "Готово", "Done"],
    ImportFailed => ["Xato bilan to'xtadi", "Остановлен с ошибкой", "Failed"],
    ImportCustomers => ["Mijozlarni import qilish", "Импорт клиентов", "Import customers"],
    ImportContacts => ["Kontaktlarni import qilish", "Импорт контактных лиц", "Import contacts"],
    ImportCounterparties => ["Kontragentlarni import qilish", "Импорт контрагентов", "Import counterparties"],
    ImportWhat => ["Nimani import qilamiz", "Что импортируем", "What to import"],
    CustomerRef => [
        "Mijoz (raqami, telefoni, e-pochtasi yoki nomi)",
        "Клиент (номер, телефон, e-mail или название)",
        "Customer (number, phone, e-mail or name)"
    ],
    ErrCustomerNotMapped => ["Mijoz qaysi ustunda ekanini tanlang", "Укажите столбец с клиентом", "Choose the column that names the customer"],
    ErrTaxIdNotMapped => ["STIR qaysi ustunda ekanini tanlang", "Укажите столбец с ИНН", "Choose the column that holds the taxpayer id"],
    ErrCustomerNotFound => [
        "Bunday mijoz topilmadi (yoki u sizniki emas)",
        "Клиент не найден (или он не ваш)",
        "No such customer (or not one of yours)"
    ],
    ErrCustomerAmbiguous => [
        "Bu nomdagi mijozlar bir nechta: raqami, telefoni yoki e-pochtasini yozing",
        "Клиентов с таким названием несколько: укажите номер, телефон или e-mail",
        "Several customers have this name: give the number, phone or e-mail"
    ],
    Import => ["Import", "Импорт", "Import"],
    ExportCsv => ["CSV eksport", "Экспорт CSV", "Export CSV"],
    ExportXlsx => ["Excel eksport", "Экспорт Excel", "Export Excel"],
    ImportFile => ["Fayl", "Файл", "File"],
    ImportFileHint => [
        "CSV (UTF-8 yoki Windows-1251; vergul, nuqtali vergul yoki tab) yoki Excel .xlsx yoki .xls, 25 MB gacha. Birinchi qator — sarlavhalar.",
        "CSV (UTF-8 или Windows-1251; запятая, точка с запятой или табуляция) или Excel .xlsx или .xls, до 25 МБ. Первая строка — заголовки.",
        "CSV (UTF-8 or Windows-1251; comma, semicolon or tab separated) or Excel .xlsx or .xls, up to 25 MB. The first row holds the headers."
    ],
    Upload => ["Yuklash", "Загрузить", "Upload"],
    Rows => ["Qatorlar", "Строк", "Rows"],
    Row => ["Qator", "Строка", "Row"],
    DoNotImport => ["Import qilinmasin", "Не импортировать", "Do not import"],
    Duplicates => ["Takrorlar", "Дубликаты", "Duplicates"],
    DuplicatesSkip => ["O'tkazib yuborish (mavjud yozuv o'zgarmaydi)", "Пропускать (существующая запись не меняется)", "Skip them (the existing record stays as it is)"],
    DuplicatesUpdate => ["Mavjud yozuvni fayldagi qiymatlar bilan yangilash", "Обновлять существующую запись значениями из файла", "Update the existing record with the file's values"],
    SaveMapping => ["Moslikni saqlash", "Сохранить сопоставление", "Save mapping"],
    Preview => ["Oldindan ko'rish", "Предпросмотр", "Preview"],
    DuplicateOf => ["takror", "дубликат", "duplicate of"],
    RowOk => ["Import qilinadi", "Будет импортирована", "Will be imported"],
    StartImport => ["Importni boshlash", "Начать импорт", "Start import"],
    Progress => ["Jarayon", "Ход импорта", "Progress"],
    Created => ["Yaratildi", "Создано", "Created"],
    Updated => ["Yangilandi", "Обновлено", "Updated"],
    Skipped => ["O'tkazib yuborildi", "Пропущено", "Skipped"],
    FailedRows => ["Xatoli qatorlar", "Строк с ошибками", "Failed rows"],
    DownloadFailedRows => ["Xatoli qatorlarni yuklab olish", "Скачать строки с ошибками", "Download failed rows"],
    Refresh => ["Yangilash", "Обновить", "Refresh"],
    CfText => ["Matn", "Текст", "Text"],
    CfLongText => ["Uzun matn", "Длинный текст", "Long text"],
    CfNumber => ["Son", "Число", "Number"],
    CfMoney => ["Pul", "Деньги", "Money"],
    CfDate => ["Sana", "Дата", "Date"],
    CfYesNo => ["Ha/yo'q", "Да/нет", "Yes/no"],
    CfChoice => ["Bitta tanlov", "Один вариант", "One choice"],
    CfChoices => ["Bir nechta tanlov", "Несколько вариантов", "Several choices"],
    CfLink => ["Havola", "Ссылка", "Link"],
    CustomFields => ["Qo'shimcha maydonlar", "Дополнительные поля", "Custom fields"],
    NavCustomFields => ["Qo'shimcha maydonlar", "Доп. поля", "Custom fields"],
    CustomFieldsHint => [
        "Mijozlar va kontaktlar uchun o'z maydonlaringiz. Arxivlangan maydon shakllardan yo'qoladi, qiymatlari saqlanadi.",
        "Собственные поля клиентов и контактов. Поле в архиве исчезает из форм, его значения сохраняются.",
        "Your own fields for customers and contacts. A retired field leaves the forms; its values are kept."
    ],
    NewField => ["Yangi maydon", "Новое поле", "New field"],
    FieldLabel => ["Nomi", "Название", "Label"],
    AppliesTo => ["Qayerda", "Для чего", "Applies to"],
    FieldKey => ["Kalit (API, import)", "Ключ (API, импорт)", "Key (API, import)"],
    FieldKeyHint => ["masalan: contract_no", "например: contract_no", "e.g. contract_no"],
    CurrencyHint => ["pul maydonlari uchun, masalan UZS", "для денежных полей, например UZS", "for money fields, e.g. UZS"],
    RequiredField => ["Majburiy", "Обязательное", "Required"],
    Choices => ["Tanlovlar", "Варианты", "Choices"],
    ChoicesHint => ["Har bir qatorda bittadan (tanlov maydonlari uchun)", "По одному в строке (для полей с выбором)", "One per line (for choice fields)"],
    NoCustomFields => ["Hali maydonlar yo'q", "Полей пока нет", "No fields yet"],
    Retired => ["Arxivda", "В архиве", "Retired"],
    Retire => ["Arxivlash", "В архив", "Retire"],
    Restore => ["Qaytarish", "Вернуть", "Restore"],
    ErrAlreadyThere => ["Allaqachon shu yerda", "Уже здесь", "Already there"],
    StagePotential => ["Potentsial", "Потенциальный", "Potential"],
    StageOneTime => ["Bir martalik", "Разовый", "One-time"],
    StageRegular => ["Doimiy", "Постоянный", "Regular"],
    StageLost => ["Yo'qotilgan", "Потерянный", "Lost"],
    Stage => ["Munosabat bosqichi", "Стадия отношений", "Relationship stage"],
    Source => ["Biz haqimizda qayerdan bildi", "Откуда узнал о нас", "How they heard of us"],
    Tags => ["Teglar", "Теги", "Tags"],
    TagsHint => ["Vergul bilan ajrating", "Через запятую", "Separate with commas"],
    Counterparties => ["Kontragentlar", "Контрагенты", "Counterparties"],
    NoCounterparties => ["Kontragentlar yo'q", "Контрагентов нет", "No counterparties"],
    NewCounterparty => ["Kontragent qo'shish", "Добавить контрагента", "Add counterparty"],
    LegalName => ["Yuridik nomi", "Юридическое название", "Legal name"],
    TaxId => ["STIR (INN)", "ИНН", "Taxpayer id (STIR/INN)"],
    Country => ["Mamlakat", "Страна", "Country"],
    VatPayer => ["QQS to'lovchi", "Плательщик НДС", "VAT payer"],
    LegalAddress => ["Yuridik manzil", "Юридический адрес", "Legal address"],
    BankAccounts => ["Bank hisoblari", "Банковские счета", "Bank accounts"],
    FormerCounterparties => ["Avvalgi kontragentlar", "Бывшие контрагенты", "Former counterparties"],
    Since => ["{} dan beri", "с {}", "since {}"],
    Until => ["{} gacha", "до {}", "until {}"],
    NowWith => ["hozir:", "сейчас у", "now with"],
    Add => ["Qo'shish", "Добавить", "Add"],
    Yes => ["Ha", "Да", "Yes"],
    No => ["Yo'q", "Нет", "No"],
    EvCreated => ["yaratildi", "создан", "created"],
    EvChanged => ["o'zgartirildi", "изменён", "changed"],
    EvMovedIn => ["ushbu mijozga o'tkazildi", "перенесён к этому клиенту", "moved to this customer"],
    EvMovedOut => ["boshqa mijozga o'tkazildi", "перенесён к другому клиенту", "moved to another customer"],
    EntCustomer => ["Mijoz", "Клиент", "Customer"],
    EntCounterparty => ["Kontragent", "Контрагент", "Counterparty"],
    EntContact => ["Kontakt", "Контакт", "Contact"],
    OlderEvents => ["Oldingi voqealar", "Более ранние события", "Older events"],
    Contacts => ["Kontakt shaxslar", "Контактные лица", "Contact persons"],
    NoContacts => ["Kontakt shaxslar yo'q", "Контактных лиц нет", "No contact persons"],
    NewContact => ["Kontakt qo'shish", "Добавить контакт", "Add contact"],
    Position => ["Lavozimi", "Должность", "Position"],
    ContactRole => ["Ushbu mijozdagi roli", "Роль у клиента", "Role at this customer"],
    DealRole => ["Bitimdagi roli", "Роль в сделке", "Role in the deal"],
    Telegram => ["Telegram", "Telegram", "Telegram"],
    Birthday => ["Tug'ilgan kuni", "День рождения", "Birthday"],
    AlsoAt => ["Shuningdek:", "Также у:", "Also at:"],
    EvLinked => ["ushbu mijozga bog'landi", "привязан к этому клиенту", "linked to this customer"],
    FieldPhones => ["Telefonlar", "Телефоны", "Phones"],
    FieldEmails => ["Elektron pochtalar", "Эл. почта", "E-mails"],
    FieldMessengers => ["Messenjerlar", "Мессенджеры", "Messengers"],
    AddBankAccount => ["Bank hisobini qo'shish", "Добавить счёт", "Add bank account"],
    BankCode => ["Bank kodi (MFO)", "Код банка (МФО)", "Bank code (MFO)"],
    AccountNumber => ["Hisob raqami", "Номер счёта", "Account number"],
    BankName => ["Bank nomi", "Название банка", "Bank name"],
    MoveToCustomer => ["Boshqa mijozga o'tkazish", "Перенести к другому клиенту", "Move to another customer"],
    FindCustomer => ["Mijozni toping", "Найдите клиента", "Find the customer"],
    Move => ["O'tkazish", "Перенести", "Move"],
    FieldFrom => ["Sanadan", "С даты", "From"],
    FieldBankAccount => ["Bank hisobi", "Банковский счёт", "Bank account"],
    Attachments => ["Fayllar", "Вложения", "Attachments"],
    ConnectMailbox => ["Pochta qutisini ulash", "Подключить почтовый ящик", "Connect a mailbox"],
    CreateCustomer => ["Mijoz yaratish", "Создать клиента", "Create customer"],
    Delete => ["O'chirish", "Удалить", "Delete"],
    Disconnect => ["Uzish", "Отключить", "Disconnect"],
    ErrInvalidHost => ["Server nomi noto'g'ri", "Неверное имя сервера", "Not a valid server name"],
    ErrMailKeyMissing => ["Pochta kaliti sozlanmagan yoki o'zgargan (KARVON_MAIL_KEY)", "Ключ почты не настроен или изменился (KARVON_MAIL_KEY)", "The mail key is missing or has changed (KARVON_MAIL_KEY)"],
    ErrMailLoginFailed => ["Server login yoki parolni qabul qilmadi", "Сервер не принял логин или пароль", "The server refused the login or password"],
    ErrMailRefused => ["Pochta serveri xatni qabul qilmadi", "Почтовый сервер не принял письмо", "The mail server refused the message"],
    ErrMailPrivateHost => ["Bu server ichki tarmoqda: administrator ruxsat bermagan", "Это адрес внутренней сети: администратор не разрешил такие серверы", "This is a local or private-network address, which the administrator has not allowed"],
    ErrMailUnreachable => ["Pochta serveriga ulanib bo'lmadi", "Не удалось подключиться к почтовому серверу", "The mail server cannot be reached"],
    Link => ["Bog'lash", "Привязать", "Link"],
    LinkToCustomer => ["Mijozga bog'lash", "Привязать к клиенту", "Link to a customer"],
    Mail => ["Pochta", "Почта", "Mail"],
    MailAttachmentTooLarge => ["juda katta, serverda qoldi", "слишком большой, остался на сервере", "too large, kept on the mail server"],
    MailBody => ["Matn", "Текст", "Text"],
    MailCorrespondent => ["Kimdan / kimga", "От кого / кому", "From / to"],
    MailEmpty => ["Xat matni yo'q", "Письмо без текста", "The message has no text"],
    MailErrAuth => ["Server login yoki parolni qabul qilmadi: sozlamalarni tekshiring", "Сервер не принял логин или пароль: проверьте настройки", "The server refused the login or password: check the settings"],
    MailErrPrivateHost => ["Server ichki tarmoqda: ruxsat berilmagan", "Сервер во внутренней сети: не разрешено", "The server is on a private network: not allowed"],
    MailErrConnect => ["Serverga ulanib bo'lmadi", "Не удалось подключиться к серверу", "The server cannot be reached"],
    MailErrKey => ["Parolni ochib bo'lmadi: pochta kaliti o'zgargan", "Не удалось расшифровать пароль: ключ почты изменился", "The password cannot be decrypted: the mail key has changed"],
    MailErrProtocol => ["Server kutilmagan javob berdi", "Сервер ответил неожиданно", "The server gave an unexpected answer"],
    MailErrStore => ["Xatlarni saqlab bo'lmadi; qayta uriniladi", "Не удалось сохранить письма; попытка будет повторена", "The messages could not be saved; the sync will retry"],
    MailErrTimeout => ["Server vaqtida javob bermadi", "Сервер не ответил вовремя", "The server did not answer in time"],
    MailErrTls => ["Himoyalangan ulanish o'rnatilmadi (sertifikat?)", "Не удалось установить защищённое соединение (сертификат?)", "The secure connection failed (certificate?)"],
    MailFrom => ["Kimdan", "От", "From"],
    MailFromBox => ["Qaysi qutidan", "С ящика", "From mailbox"],
    MailIncoming => ["Kiruvchi pochta (IMAP)", "Входящая почта (IMAP)", "Incoming mail (IMAP)"],
    MailLogin => ["Login", "Логин", "Login"],
    MailLoginHint => ["odatda e-pochta manzili", "обычно адрес почты", "usually the e-mail address"],
    MailMalformed => ["Xat buzilgan: o'qilishi mumkin bo'lgan qismi ko'rsatilgan", "Письмо повреждено: показано то, что удалось прочитать", "The message is damaged: what could be read is shown"],
    MailMessagesCount => ["{} ta xat", "{} письмо|{} письма|{} писем", "{} message|{} messages"],
    MailNotInSentFolder => ["(Yuborilganlar jildiga yozib bo'lmadi)", "(В папку «Отправленные» записать не удалось)", "(It could not be put into the Sent folder)"],
    MailOutgoing => ["Chiquvchi pochta (SMTP)", "Исходящая почта (SMTP)", "Outgoing mail (SMTP)"],
    MailPort => ["Port", "Порт", "Port"],
    MailProblem => ["to'liq emas", "неполное", "incomplete"],
    MailSecNone => ["Shifrlashsiz", "Без шифрования", "No encryption"],
    MailSecStarttls => ["STARTTLS", "STARTTLS", "STARTTLS"],
    MailSecTls => ["SSL/TLS", "SSL/TLS", "SSL/TLS"],
    MailSecurity => ["Himoya", "Защита", "Security"],
    MailSent => ["Xat yuborildi.", "Письмо отправлено.", "The message was sent."],
    MailServer => ["Server", "Сервер", "Server"],
    MailSyncFailed => ["Xatolik", "Ошибка", "Failed"],
    MailSynced => ["Sinxronlangan", "Синхронизирован", "Synced"],
    MailSyncing => ["Sinxronlanmoqda…", "Синхронизация…", "Syncing…"],
    MailTemplate => ["Shablon", "Шаблон", "Template"],
    MailTemplates => ["Xat shablonlari", "Шаблоны писем", "Mail templates"],
    MailThread => ["Yozishma", "Переписка", "Conversation"],
    MailTo => ["Kimga", "Кому", "To"],
    MailToHint => ["bo'sh: kontakt yoki mijoz manzili", "пусто: адрес контакта или клиента", "empty: the contact's or customer's address"],
    MailTooLarge => ["Xat juda katta: faqat sarlavhalar saqlandi, xat pochta serverida", "Письмо слишком большое: сохранены только заголовки, письмо на почтовом сервере", "The message is too large: only its headers are kept; it stays on the mail server"],
    MailUnsortedCount => ["{} ta saralanmagan", "{} неразобранное|{} неразобранных|{} неразобранных", "{} unsorted"],
    MailWaiting => ["Navbatda", "В очереди", "Waiting"],
    Mailboxes => ["Pochta qutilari", "Почтовые ящики", "Mailboxes"],
    ModuleMail => ["Pochta", "Почта", "Mail"],
    NameFromSender => ["yuboruvchi nomidan", "по имени отправителя", "from the sender's name"],
    NewTemplate => ["Yangi shablon", "Новый шаблон", "New template"],
    NoMailboxes => ["Pochta qutisi ulanmagan.", "Почтовый ящик не подключён.", "No mailbox is connected."],
    NoSubject => ["(mavzusiz)", "(без темы)", "(no subject)"],
    OrCreateCustomer => ["yoki yangi mijoz", "или новый клиент", "or a new customer"],
    RecentMail => ["So'nggi xatlar", "Последние письма", "Recent mail"],
    Reply => ["Javob berish", "Ответить", "Reply"],
    Send => ["Yuborish", "Отправить", "Send"],
    SharedMailbox => ["Umumiy quti", "Общий ящик", "Shared mailbox"],
    SharedMailboxHint => ["Kompaniyaning umumiy manzili (hamma foydalanadi)", "Общий адрес компании (доступен всем)", "A shared company address (everyone may use it)"],
    SyncNow => ["Hozir sinxronlash", "Синхронизировать", "Sync now"],
    TemplateFieldsHint => ["Maydonlar:", "Поля:", "Fields:"],
    Unsorted => ["Saralanmagan xatlar", "Неразобранные письма", "Unsorted mail"],
    UnsortedHint => ["Manzili hech bir mijozga mos kelmagan xatlar: mijozga bog'lang yoki yangisini yarating.", "Письма с адресов, которых нет у клиентов: привяжите к клиенту или создайте нового.", "Messages from addresses no customer has: link them to a customer or create one."],
    WriteMail => ["Xat yozish", "Написать письмо", "Write an e-mail"],
    ErrUnknownCurrency => ["Bunday valyuta yo'q (masalan: UZS, USD, EUR, RUB)", "Неизвестная валюта (например: UZS, USD, EUR, RUB)", "Unknown currency (e.g. UZS, USD, EUR, RUB)"],
    ErrNoStages => ["Bu voronkada bosqichlar yo'q", "В этой воронке нет этапов", "This pipeline has no stages"],
    ErrOtherPipeline => ["Bu bosqich boshqa voronkaga tegishli", "Этот этап из другой воронки", "This stage belongs to another pipeline"],
    ErrStageSkipped => ["Bosqichlarni o'tkazib yuborib bo'lmaydi: faqat keyingi bosqichga", "Этапы нельзя пропускать: только на следующий этап", "Stages cannot be skipped: only to the next stage"],
    ErrChecklistIncomplete => ["Avval joriy bosqichning nazorat ro'yxatini bajaring", "Сначала выполните чек-лист текущего этапа", "Complete the current stage's checklist first"],
    ErrRequiredAtStage => ["Bu bosqichga o'tish uchun to'ldiring", "Заполните, чтобы перейти на этот этап", "Fill this in to enter this stage"],
    ErrRequiredToWin => ["Yutilgan bitimda summa bo'lishi kerak", "У выигранной сделки должна быть сумма", "A won deal needs an amount"],
    ErrStageHasDeals => ["Bu bosqichda bitimlar bor: avval ularni ko'chiring", "На этом этапе есть сделки: сначала перенесите их", "This stage has deals: move them first"],
    RoleStorekeeper => ["Omborchi", "Кладовщик", "Storekeeper"],
    ErrInvalidMxik => ["MXIK (IKPU) kodi 17 ta raqamdan iborat bo'lishi kerak", "Код ИКПУ (MXIK) должен состоять из 17 цифр", "The MXIK (IKPU) code must be 17 digits"],
    ErrSkuTaken => ["Bu artikul boshqa mahsulotda bor", "Этот артикул уже есть у другого товара", "Another product has this SKU"],
    ErrBarcodeTaken => ["Bu shtrix-kod boshqa mahsulotda bor", "Этот штрихкод уже есть у другого товара", "Another product has this barcode"],
    ErrUnitInUse => ["Mahsulot harakatlangan: asosiy o'lchov birligini o'zgartirib bo'lmaydi", "По товару были движения: базовую единицу изменить нельзя", "The product has moved: its base unit cannot change"],
    ErrWrongStatus => ["Hujjatning holati bunga yo'l qo'ymaydi", "Статус документа этого не позволяет", "The document's status does not allow this"],
    ErrPeriodClosed => ["Bu sana yopilgan davrda", "Эта дата в закрытом периоде", "This date is in the closed period"],
    ErrSameWarehouse => ["Qabul qiluvchi ombor boshqa bo'lishi kerak", "Склад-получатель должен быть другим", "The receiving warehouse must be another one"],
    ErrServiceNotStocked => ["Xizmat omborda saqlanmaydi", "Услуга не хранится на складе", "A service is not kept in stock"],
    ErrUnknownUnit => ["Bu mahsulotda bunday o'lchov birligi yo'q", "У товара нет такой единицы измерения", "The product has no such unit"],
    ErrCurrencyFixed => ["Ro'yxatda narxlar bor: valyutasini o'zgartirib bo'lmaydi", "В прайс-листе есть цены: валюту изменить нельзя", "The list has prices: its currency cannot change"],
    NavStock => ["Ombor", "Склад", "Stock"],
    ModuleStock => ["Ombor va katalog", "Склад и каталог", "Stock and catalog"],
    StockDashboard => ["Ombor paneli", "Панель склада", "Warehouse dashboard"],
    AllWarehouses => ["Barcha omborlar", "Все склады", "All warehouses"],
    StockValue => ["Zaxira qiymati", "Стоимость запасов", "Stock value"],
    ValueChart => ["Qiymat, so'nggi 90 kun", "Стоимость за 90 дней", "Value over 90 days"],
    BelowMinimum => ["Minimumdan kam", "Ниже минимума", "Below minimum"],
    NegativeStock => ["Manfiy qoldiqlar", "Отрицательные остатки", "Negative stock"],
    PostedToday => ["Bugun o'tkazilgan", "Проведено сегодня", "Posted today"],
    InTransit => ["Yo'lda", "В пути", "In transit"],
    SlowMovers => ["Harakatsiz tovarlar", "Неходовые товары", "Slow movers"],
    TopByValue => ["Qiymati eng kattalar", "Крупнейшие по стоимости", "Top by value"],
    Product => ["Mahsulot", "Товар", "Product"],
    ImportProducts => ["Mahsulotlarni import qilish", "Импорт товаров", "Import products"],
    NameRu => ["Nomi (ruscha)", "Название (рус.)", "Name (Russian)"],
    NameEn => ["Nomi (inglizcha)", "Название (англ.)", "Name (English)"],
    Sku => ["Artikul", "Артикул", "SKU"],
    Barcodes => ["Shtrix-kodlar", "Штрихкоды", "Barcodes"],
    ProductGroupField => ["Guruh", "Группа", "Group"],
    BaseUnit => ["O'lchov birligi", "Единица измерения", "Unit"],
    ExtraUnits => ["Qo'shimcha birliklar", "Доп. единицы", "Extra units"],
    Mxik => ["MXIK (IKPU)", "ИКПУ (MXIK)", "MXIK (IKPU)"],
    PackageCode => ["Qadoq kodi", "Код упаковки", "Package code"],
    VatRate => ["QQS stavkasi", "Ставка НДС", "VAT rate"],
    WeightKg => ["Og'irligi, kg", "Вес, кг", "Weight, kg"],
    KindGoods => ["Tovar", "Товар", "Goods"],
    KindService => ["Xizmat", "Услуга", "Service"],
    Catalog => ["Katalog", "Каталог", "Catalog"],
    NewProduct => ["Yangi mahsulot", "Новый товар", "New product"],
    NoGroup => ["Guruhsiz", "Без группы", "No group"],
    UnitHint => ["dona, kg, m, qop…", "шт, кг, м, мешок…", "pcs, kg, m, bag…"],
    AllGroups => ["Barcha guruhlar", "Все группы", "All groups"],
    StockByWarehouse => ["Omborlar bo'yicha qoldiq", "Остатки по складам", "Stock by warehouse"],
    MovementHistory => ["Harakatlar tarixi", "История движений", "Movement history"],
    QtyChange => ["O'zgarish", "Изменение", "Change"],
    ReversalMark => ["bekor qilish", "сторно", "reversal"],
    Warehouse => ["Ombor", "Склад", "Warehouse"],
    OnHand => ["Qoldiq", "Остаток", "On hand"],
    MinQty => ["Minimum", "Минимум", "Minimum"],
    ReorderQty => ["Buyurtma", "Дозаказ", "Reorder"],
    StockValueCol => ["Qiymat", "Стоимость", "Value"],
    LastShipped => ["Oxirgi chiqim", "Последняя отгрузка", "Last shipped"],
    NeverShipped => ["Chiqim bo'lmagan", "Не отгружался", "Never shipped"],
    DocNumber => ["Hujjat", "Документ", "Document"],
    DocLines => ["Qatorlar", "Строк", "Lines"],
    NothingToShow => ["Hozircha yo'q", "Пока нет", "None yet"],
    LiveUpdate => ["Jonli yangilanadi", "Обновляется вживую", "Updates live"],
    DocReceipt => ["Kirim", "Поступление", "Receipt"],
    DocShipment => ["Chiqim", "Отгрузка", "Shipment"],
    DocTransfer => ["Ko'chirish", "Перемещение", "Transfer"],
    DocWriteOff => ["Hisobdan chiqarish", "Списание", "Write-off"],
    DocInventory => ["Inventarizatsiya", "Инвентаризация", "Inventory count"],
    StockDocuments => ["Ombor hujjatlari", "Складские документы", "Stock documents"],
    NewStockDocument => ["Yangi hujjat", "Новый документ", "New document"],
    ToWarehouse => ["Qaysi omborga", "На склад", "To warehouse"],
    DocReason => ["Sabab", "Причина", "Reason"],
    ProductCode => ["Shtrix-kod, artikul yoki nom", "Штрихкод, артикул или название", "Barcode, SKU or name"],
    Quantity => ["Miqdor", "Количество", "Quantity"],
    UnitName => ["O'lchov birligi", "Единица", "Unit"],
    UnitCost => ["Narx (so'm)", "Цена (сум)", "Unit cost (UZS)"],
    PostNow => ["Darhol o'tkazish", "Провести сразу", "Post at once"],
    PostDoc => ["O'tkazish", "Провести", "Post"],
    ReceiveDoc => ["Qabul qilish", "Принять", "Receive"],
    CancelDoc => ["Hujjatni bekor qilish", "Отменить документ", "Cancel the document"],
    StatusDraft => ["Qoralama", "Черновик", "Draft"],
    StatusPosted => ["O'tkazilgan", "Проведён", "Posted"],
    StatusCancelled => ["Bekor qilingan", "Отменён", "Cancelled"],
    DocDate => ["Sana", "Дата", "Date"],
    BaseQty => ["Asosiy birlikda", "В базовых ед.", "In base units"],
    ExpectedQty => ["Hisobda", "По учёту", "Expected"],
    ErrUnknownProduct => ["Bunday shtrix-kod, artikul yoki nomli mahsulot yo'q", "Нет товара с таким штрихкодом, артикулом или названием", "No product has this barcode, SKU or name"],
    ErrAmbiguousProduct => ["Bir nechta mahsulot mos keladi: shtrix-kod yoki artikulni kiriting", "Подходит несколько товаров: укажите штрихкод или артикул", "Several products match: give the barcode or SKU"],
    ErrGroupLoop => ["Guruhni o'zining ichiga yoki kichik guruhiga ko'chirib bo'lmaydi", "Группу нельзя поместить в неё саму или в её подгруппу", "A group cannot go inside itself or one of its subgroups"],
    ErrGroupNotEmpty => ["Guruhda mahsulotlar yoki kichik guruhlar bor", "В группе есть товары или подгруппы", "The group has products or subgroups"],
    ErrGroupTooDeep => ["Guruhlar 8 darajadan chuqur bo'lmaydi", "Группы не вкладываются глубже 8 уровней", "Groups go at most 8 levels deep"],
    ErrSlashInName => ["Nomda «/» bo'lmasin: u guruhlar yo'lini ajratadi", "В названии не должно быть «/»: он разделяет группы в пути", "The name cannot contain «/»: it separates groups in a path"],
    ErrNotAnImage => ["Rasm JPEG, PNG yoki WebP bo'lsin", "Нужна картинка JPEG, PNG или WebP", "The photo must be a JPEG, PNG or WebP image"],
    ErrPhotoTooLarge => ["Rasm juda katta (5 MB gacha)", "Фото слишком большое (до 5 МБ)", "The photo is too large (5 MB at most)"],
    ErrPriceReasonRequired => ["Narx ro'yxatdagidan farq qiladi: sababini yozing", "Цена отличается от прайса: укажите причину", "The price differs from the list's: say why"],
    ErrMoreThanOrdered => ["Buyurtma qilinganidan ko'p", "Больше, чем заказано", "More than was ordered"],
    ErrNothingToShip => ["Jo'natiladigan narsa yo'q", "Нечего отгружать", "Nothing to ship"],
    ErrOrderExists => ["Bu bitimda buyurtma allaqachon bor", "У этой сделки уже есть заказ", "This deal already has an order"],
    ErrAlreadyShipped => ["Buyurtmaning bir qismi jo'natilgan: uni bekor qilib bo'lmaydi, yoping", "Часть заказа уже отгружена: его нельзя отменить, только закрыть", "Part of the order has shipped: close it instead"],
    ErrLostDeal => ["Boy berilgan bitimdan buyurtma yaratib bo'lmaydi", "Из проигранной сделки нельзя создать заказ", "A lost deal cannot become an order"],
    ErrHasDocuments => [
        "Unga hujjatlar (buyurtmalar, hisob-fakturalar) berilgan: o'chirib bo'lmaydi, arxivlang yoki shaxsiy ma'lumotlarini o'chiring",
        "На него выписаны документы (заказы, счета): удалить нельзя, отправьте в архив или сотрите персональные данные",
        "Documents (orders, invoices) were issued to it: it cannot be deleted; archive it or erase its personal data"
    ],
    ErrInvalidPrefix => ["Prefiks: 1–10 ta lotin bosh harfi yoki raqam", "Префикс: 1–10 латинских заглавных букв или цифр", "The prefix: 1 to 10 Latin capitals or digits"],
    ErrDueBeforeDate => ["To'lov muddati hisob-faktura sanasidan oldin bo'lmasin", "Срок оплаты не может быть раньше даты счёта", "The due date cannot be before the invoice's date"],
    ErrNothingToInvoice => ["Hisob-fakturaga kiritiladigan narsa qolmadi", "Выставлять больше нечего", "Nothing is left to invoice"],
    NavInvoices => ["Hisob-fakturalar", "Счета-фактуры", "Invoices"],
    InvoiceOf => ["Hisob-faktura", "Счёт-фактура", "Invoice"],
    InvoiceIssued => ["Berilgan", "Выставлен", "Issued"],
    InvoiceCancelled => ["Bekor qilingan", "Отменён", "Cancelled"],
    AllInvoices => ["Barcha hisob-fakturalar", "Все счета", "All invoices"],
    InvoiceNumberSearch => ["Hisob-faktura raqami", "Номер счёта", "Invoice number"],
    InvoiceDate => ["Hisob-faktura sanasi", "Дата счёта", "Invoice date"],
    DueDate => ["To'lov muddati", "Срок оплаты", "Due date"],
    ExchangeRate => ["Valyuta kursi (so'm)", "Курс валюты (сум)", "Exchange rate (UZS)"],
    Contract => ["Shartnoma", "Договор", "Contract"],
    ContractNo => ["Shartnoma raqami", "Номер договора", "Contract number"],
    ContractDate => ["Shartnoma sanasi", "Дата договора", "Contract date"],
    CancelInvoice => ["Hisob-fakturani bekor qilish", "Отменить счёт", "Cancel the invoice"],
    CancelInvoiceQuestion => [
        "Hisob-faktura bekor qilinsinmi? Raqami reyestrda bekor qilingan deb qoladi",
        "Отменить счёт? Его номер останется в реестре с отметкой об отмене",
        "Cancel this invoice? Its number stays in the register, marked cancelled"
    ],
    InvoicedTotal => ["Hisob-fakturalar bo'yicha", "Выставлено счетов", "Invoiced"],
    InvoicedQty => ["Hisobga kiritilgan", "Выставлено", "Invoiced"],
    MakeInvoice => ["Hisob-faktura yozish", "Выставить счёт", "Make an invoice"],
    InvoiceOrderHint => [
        "Jo'natilgan, hali hisobga kiritilmagan tovarlar va xizmatlar; hech narsa jo'natilmagan bo'lsa — butun buyurtma (avans)",
        "Отгруженное и ещё не выставленное, и услуги; если ничего не отгружено — весь заказ (счёт на предоплату)",
        "What shipped and is not invoiced yet, and the services; when nothing shipped, the whole order (an advance invoice)"
    ],
    ModuleSales => ["Sotuv: buyurtmalar va hisob-fakturalar", "Продажи: заказы и счета", "Sales: orders and invoices"],
    NavOrders => ["Buyurtmalar", "Заказы", "Orders"],
    OrderDraft => ["Qoralama", "Черновик", "Draft"],
    OrderConfirmed => ["Tasdiqlangan", "Подтверждён", "Confirmed"],
    OrderShipped => ["Jo'natilgan", "Отгружен", "Shipped"],
    OrderClosed => ["Yopilgan", "Закрыт", "Closed"],
    OrderCancelled => ["Bekor qilingan", "Отменён", "Cancelled"],
    NewOrder => ["Yangi buyurtma", "Новый заказ", "New order"],
    MakeOrder => ["Buyurtma yaratish", "Создать заказ", "Make an order"],
    OrderOf => ["Buyurtma", "Заказ", "Order"],
    OrderDate => ["Buyurtma sanasi", "Дата заказа", "Order date"],
    DiscountPercent => ["Chegirma, %", "Скидка, %", "Discount, %"],
    VatShort => ["QQS", "НДС", "VAT"],
    VatExempt => ["QQSsiz", "Без НДС", "No VAT"],
    SumWithoutVat => ["QQSsiz summa", "Сумма без НДС", "Sum without VAT"],
    SumWithVat => ["QQS bilan summa", "Сумма с НДС", "Sum with VAT"],
    ReservedQty => ["Zaxirada", "В резерве", "Reserved"],
    ShippedQty => ["Jo'natilgan", "Отгружено", "Shipped"],
    ToShip => ["Jo'natiladi", "К отгрузке", "To ship"],
    AddLine => ["Qator qo'shish", "Добавить строку", "Add a line"],
    RemoveLine => ["Olib tashlash", "Удалить", "Remove"],
    ConfirmReserve => ["Tasdiqlash va zaxiralash", "Подтвердить и зарезервировать", "Confirm and reserve"],
    ShipGoods => ["Jo'natish", "Отгрузить", "Ship"],
    ShipEverything => ["Qolganini jo'natish", "Отгрузить всё остальное", "Ship everything left"],
    CancelOrder => ["Buyurtmani bekor qilish", "Отменить заказ", "Cancel the order"],
    CloseOrder => ["Buyurtmani yopish", "Закрыть заказ", "Close the order"],
    CancelOrderQuestion => ["Buyurtma bekor qilinsinmi? Zaxiralari bo'shatiladi.", "Отменить заказ? Его резервы будут сняты.", "Cancel the order? Its reservations are released."],
    CloseOrderQuestion => ["Buyurtma yopilsinmi? Jo'natilmagan qismi zaxiradan chiqariladi.", "Закрыть заказ? Неотгруженное больше не резервируется.", "Close the order? What was not shipped is no longer reserved."],
    PriceReason => ["Narx farqi sababi", "Причина изменения цены", "Why the price differs"],
    ListPrice => ["Ro'yxat narxi", "Цена по прайсу", "List price"],
    PriceHint => ["Bo'sh qoldirilsa, mijozning narxlar ro'yxatidan olinadi", "Пусто: цена из прайс-листа клиента", "Empty: the customer's price list's"],
    Shipments => ["Jo'natmalar", "Отгрузки", "Shipments"],
    OpenOrders => ["Ochiq buyurtmalar", "Открытые заказы", "Open orders"],
    AllOrders => ["Barcha buyurtmalar", "Все заказы", "All orders"],
    OrderNumberSearch => ["Buyurtma raqami", "Номер заказа", "Order number"],
    TotalSum => ["Jami", "Итого", "Total"],
    LinesCount => ["Qatorlar", "Строк", "Lines"],
    Photo => ["Rasm", "Фото", "Photo"],
    UploadPhoto => ["Rasmni yuklash", "Загрузить фото", "Upload the photo"],
    RemovePhoto => ["Rasmni olib tashlash", "Убрать фото", "Remove the photo"],
    NoPhoto => ["Rasm yo'q", "Фото нет", "No photo"],
    Warehouses => ["Omborlar", "Склады", "Warehouses"],
    NewWarehouse => ["Yangi ombor", "Новый склад", "New warehouse"],
    WarehouseAddress => ["Manzil", "Адрес", "Address"],
    ResponsiblePerson => ["Mas'ul shaxs", "Ответственный", "Responsible person"],
    Storekeepers => ["Omborchilar", "Кладовщики", "Storekeepers"],
    AllowNegative => ["Manfiy qoldiqqa ruxsat berilsin", "Разрешить отрицательные остатки", "Allow negative stock"],
    NegativeAllowed => ["Ruxsat etilgan", "Разрешены", "Allowed"],
    NegativeRefused => ["Taqiqlangan", "Запрещены", "Refused"],
    NoOne => ["Hech kim", "Никто", "No one"],
    ClosedPeriod => ["Yopilgan davr", "Закрытый период", "Closed period"],
    ClosedThrough => ["Davr yopilgan sana (shu kun ham)", "Период закрыт по (включительно)", "Period closed through (inclusive)"],
    ClosedPeriodHint => ["Bu sanagacha bo'lgan hujjatlar o'tkazilmaydi va bekor qilinmaydi. Davrni ochish uchun maydonni bo'shating.", "Документы с датой по этот день включительно не проводятся и не отменяются. Чтобы открыть период, очистите поле.", "Documents dated up to and including this day are neither posted nor cancelled. Clear the field to open the period."],
    ClosedThroughShort => ["Yopilgan sana", "Закрыт по", "Closed through"],
    PeriodOpen => ["Davr ochiq", "Период открыт", "The period is open"],
    ProductGroups => ["Mahsulot guruhlari", "Группы товаров", "Product groups"],
    Products => ["Mahsulotlar", "Товары", "Products"],
    NewGroup => ["Yangi guruh", "Новая группа", "New group"],
    TopLevel => ["Yuqori daraja", "Верхний уровень", "Top level"],
    ParentGroup => ["Qaysi guruh ichida", "Входит в группу", "Inside group"],
    DeleteGroup => ["Guruhni o'chirish", "Удалить группу", "Delete the group"],
    PriceLists => ["Narxlar ro'yxatlari", "Прайс-листы", "Price lists"],
    NewPriceList => ["Yangi narxlar ro'yxati", "Новый прайс-лист", "New price list"],
    CustomersCount => ["Mijozlar", "Клиентов", "Customers"],
    DefaultList => ["asosiy", "основной", "default"],
    DefaultListHint => ["Shu valyutada asosiy ro'yxat (o'z ro'yxati yo'q mijozlar uchun)", "Основной в своей валюте (для клиентов без своего прайс-листа)", "The default in its currency (for customers without a list of their own)"],
    PricesOn => ["Narxlar sanasi", "Цены на дату", "Prices on"],
    Price => ["Narx", "Цена", "Price"],
    ValidFrom => ["Amal qilish sanasi", "Действует с", "Valid from"],
    SetPrice => ["Narx belgilash", "Установить цену", "Set a price"],
    ErrShortage => ["Omborda yetarli emas", "Недостаточно на складе", "Not enough stock"],
    StockAvailable => ["mavjud", "в наличии", "available"],
    StockWanted => ["kerak", "требуется", "wanted"],
    ErrDealClosed => ["Bitim yopilgan: avval uni qayta oching", "Сделка закрыта: сначала откройте её снова", "The deal is closed: reopen it first"],
    ModuleDeals => ["Bitimlar va voronka", "Сделки и воронка", "Deals and funnel"],
    ModeEnforced => ["Qat'iy jarayon (bosqichlar tartib bilan)", "Строгий процесс (этапы по порядку)", "Enforced process (stages in order)"],
    ModeManual => ["Erkin bosqichlar", "Свободная смена этапов", "Manual stage changes"],
    ModeNone => ["Jarayonsiz (faqat holatlar)", "Без процесса (только состояния)", "No process (statuses only)"],
    PresetSales => ["Sotuvlar", "Продажи", "Sales"],
    PresetFirstContact => ["Birinchi aloqa", "Первичный контакт", "First contact"],
    PresetQualification => ["Ehtiyojni aniqlash", "Квалификация", "Qualification"],
    PresetProposal => ["Tijorat taklifi", "Коммерческое предложение", "Commercial proposal"],
    PresetPresentation => ["Taqdimot", "Презентация", "Presentation"],
    PresetTerms => ["Shartlarni kelishish", "Согласование условий", "Agreeing terms"],
    PresetPreparingDelivery => ["Yetkazishga tayyorgarlik", "Подготовка к отгрузке", "Preparing delivery"],
    PresetDelivery => ["Yetkazib berish", "Отгрузка", "Delivery"],
    PresetPrice => ["Narx qimmat", "Высокая цена", "Price too high"],
    PresetCompetitor => ["Raqobatchini tanladi", "Выбрал конкурента", "Chose a competitor"],
    PresetNoBudget => ["Byudjet yo'q", "Нет бюджета", "No budget"],
    PresetNoResponse => ["Javob bermay qo'ydi", "Пропал, не отвечает", "Stopped responding"],
    PresetNotNeeded => ["Ehtiyoj qolmadi", "Потребность отпала", "No longer needed"],
    PresetOutOfStock => ["Omborda yo'q edi", "Не было на складе", "Out of stock"],
    PresetNotInRange => ["Assortimentda yo'q", "Нет в ассортименте", "Not in our range"],
    PresetDeliveryTime => ["Yetkazish muddati to'g'ri kelmadi", "Не устроил срок поставки", "Delivery time did not suit"],
    DealOpen => ["Ishda", "В работе", "Open"],
    DealWon => ["Yutildi", "Выиграна", "Won"],
    DealLost => ["Boy berildi", "Проиграна", "Lost"],
    NavDeals => ["Bitimlar", "Сделки", "Deals"],
    Pipeline => ["Voronka", "Воронка", "Pipeline"],
    CreatedFrom => ["Yaratilgan: dan", "Создана с", "Created from"],
    CreatedTo => ["gacha", "по", "to"],
    Everything => ["Barchasi", "Все", "All"],
    BoardView => ["Kanban", "Канбан", "Board"],
    ListView => ["Ro'yxat", "Список", "List"],
    Weighted => ["Ehtimol bo'yicha", "С учётом вероятности", "Weighted by probability"],
    AllInList => ["Hammasi ro'yxatda", "Все — в списке", "All of them in the list"],
    BoardHint => ["Kartani sichqoncha yoki ⠿ tutqich bilan suring; klaviaturada ← → bosqichni o'zgartiradi. Pastdagi «Yutildi» / «Boy berildi» bitimni yopadi.", "Перетаскивайте карточку мышью или за ⠿; с клавиатуры ← → меняют этап. Зоны «Выиграна» / «Проиграна» внизу закрывают сделку.", "Drag a card with the mouse or by its ⠿ grip; on the keyboard ← → change the stage. The Won / Lost zones at the bottom close a deal."],
    BoardHintNoStages => ["Bu voronkada bosqichlar yo'q: bitimni «Yutildi» yoki «Boy berildi» ga suring.", "В этой воронке нет этапов: перетащите сделку в «Выиграна» или «Проиграна».", "This pipeline has no stages: drag a deal to Won or Lost."],
    Amount => ["Summa", "Сумма", "Amount"],
    ExpectedClose => ["Kutilayotgan yopilish sanasi", "Ожидаемая дата закрытия", "Expected close date"],
    Counterparty => ["Kontragent", "Контрагент", "Counterparty"],
    Interest => ["Nimaga qiziqadi", "Что интересует", "Interested in"],
    DealChangedMeanwhile => ["Bu bitimni boshqa kishi o'zgartirdi: hozirgi holati ko'rsatildi", "Сделку тем временем изменил другой пользователь: показано её текущее состояние", "Someone else changed this deal meanwhile: its current state is shown"],
    NoAmount => ["Summa noma'lum", "Сумма не указана", "No amount yet"],
    DaysShort => ["kun", "дн.", "d"],
    WhyLost => ["Bitim nega boy berildi?", "Почему сделка проиграна?", "Why was the deal lost?"],
    LossReason => ["Sabab", "Причина", "Reason"],
    MarkLost => ["Boy berildi deb belgilash", "Отметить проигранной", "Mark as lost"],
    MarkWon => ["Yutildi deb belgilash", "Отметить выигранной", "Mark as won"],
    Deal => ["Bitim", "Сделка", "Deal"],
    DealStage => ["Bosqich", "Этап", "Stage"],
    Reached => ["Yetib kelgan", "Дошли", "Reached"],
    Conversion => ["Konversiya, %", "Конверсия, %", "Conversion, %"],
    AvgDays => ["O'rtacha kun", "Среднее время, дн.", "Average days"],
    Funnel => ["Sotuv voronkasi", "Воронка продаж", "Sales funnel"],
    WinRate => ["Yutuq ulushi", "Доля выигранных", "Win rate"],
    AvgDeal => ["O'rtacha bitim", "Средняя сделка", "Average deal"],
    DownloadCsv => ["CSV yuklab olish", "Скачать CSV", "Download CSV"],
    DealsTotal => ["Jami bitimlar", "Всего сделок", "Deals in all"],
    Deals => ["Bitimlar", "Сделки", "Deals"],
    NewDeal => ["Yangi bitim", "Новая сделка", "New deal"],
    NextTask => ["Keyingi vazifa", "Следующая задача", "Next task"],
    NoDeals => ["Bitimlar yo'q", "Сделок нет", "No deals"],
    Title => ["Nomi", "Название", "Title"],
    UnmetReason => ["Qondirilmagan talab", "Неудовлетворённый спрос", "Unmet demand"],
    Reopen => ["Qayta ochish", "Открыть снова", "Reopen"],
    Checklist => ["Nazorat ro'yxati", "Чек-лист", "Checklist"],
    StageHistory => ["Bosqichlar tarixi", "История этапов", "Stage history"],
    Entered => ["Kirdi", "Вход", "Entered"],
    Left => ["Chiqdi", "Выход", "Left"],
    Probability => ["Ehtimol", "Вероятность", "Probability"],
    OpenTasks => ["Ochiq vazifalar", "Открытые задачи", "Open tasks"],
    MoveTo => ["Ko'chirish", "Перевести", "Move to"],
    LostAt => ["Boy berilgan bosqich", "Проиграна на этапе", "Lost at stage"],
    ClosedOn => ["Yopilgan sana", "Дата закрытия", "Closed on"],
    AddNote => ["Izoh qo'shish", "Добавить заметку", "Add a note"],
    Currency => ["Valyuta", "Валюта", "Currency"],
    EvMoved => ["bosqichga o'tkazildi", "переведена на этап", "moved"],
    EvClosed => ["yopildi", "закрыта", "closed"],
    Pipelines => ["Voronkalar", "Воронки", "Pipelines"],
    NavPipelines => ["Voronkalar", "Воронки", "Pipelines"],
    PipelinesHint => ["Bosqichlar tartibi, ehtimoli va qoidalari: bosqichga kirish uchun majburiy maydonlar, undan chiqishdan oldin bajariladigan nazorat ro'yxati, kirganda menejerga beriladigan vazifalar.", "Этапы по порядку, их вероятность и правила: обязательные для входа поля, чек-лист, который нужно выполнить перед выходом с этапа, задачи, которые получает менеджер при входе.", "Stages in order with their probability and rules: fields required to enter, a checklist to complete before leaving, tasks the manager gets on entering."],
    Reasons => ["Sabablar", "Причины", "Reasons"],
    NewReason => ["Yangi sabab", "Новая причина", "New reason"],
    NewPipeline => ["Yangi voronka", "Новая воронка", "New pipeline"],
    PipelineMode => ["Boshqaruv rejimi", "Режим управления", "Control mode"],
    Archived => ["Arxivda (yangi bitimlar uchun yopiq)", "В архиве (закрыта для новых сделок)", "Archived (closed to new deals)"],
    Stages => ["Bosqichlar", "Этапы", "Stages"],
    NewStage => ["Yangi bosqich", "Новый этап", "New stage"],
    Order => ["Tartib", "Порядок", "Order"],
    RequiredToEnter => ["Kirish uchun majburiy:", "Обязательно для входа:", "Required to enter:"],
    OnePerLine => ["Har qatorda bittadan", "По одному в строке", "One per line"],
    AutoTasks => ["Kirganda beriladigan vazifalar", "Задачи при входе на этап", "Tasks made on entering"],
    AutoTasksHint => ["Har qatorda: kunlar | vazifa, masalan «2 | Qayta qo'ng'iroq qilish»", "В строке: дни | задача, например «2 | Перезвонить»", "Per line: days | task, e.g. “2 | Call back”"],
    DeleteStage => ["Bosqichni o'chirish (unda bitimlar bo'lmasa)", "Удалить этап (если на нём нет сделок)", "Delete the stage (if no deals are in it)"],
    EvReopened => ["qayta ochildi", "открыта снова", "reopened"],
    Webhooks => ["Vebxuklar", "Вебхуки", "Webhooks"],
    WebhooksIntro => ["Tanlangan hodisalar sodir bo'lganda Karvon boshqa tizimga imzolangan JSON yuboradi va u qabul qilguncha qayta urinadi.", "Karvon отправляет другой системе подписанный JSON о выбранных событиях и повторяет попытки, пока она не примет его.", "Karvon sends another system a signed JSON POST for the events you choose, and retries until it takes it."],
    NewWebhook => ["Yangi obuna", "Новая подписка", "New subscription"],
    WebhookUrl => ["Manzil (URL)", "Адрес (URL)", "URL"],
    WebhookUrlHint => ["https://misol.uz/karvon-hook", "https://example.uz/karvon-hook", "https://example.com/karvon-hook"],
    WebhookEvents => ["Hodisalar", "События", "Events"],
    WebhookEventsHint => ["Hech biri belgilanmasa — barchasi.", "Если ничего не отмечено — все.", "None checked: all of them."],
    WebhookEvent => ["Hodisa", "Событие", "Event"],
    WebhookEventId => ["hodisa №", "событие №", "event no."],
    AllEvents => ["Barcha hodisalar", "Все события", "All events"],
    Subscribe => ["Obuna bo'lish", "Подписаться", "Subscribe"],
    WebhookSecretOnce => ["Imzo kaliti (faqat hozir ko'rsatiladi): qabul qiluvchi X-Karvon-Signature ni u bilan tekshiradi.", "Ключ подписи (показывается один раз): получатель проверяет им X-Karvon-Signature.", "Signing secret (shown this once): the receiver checks X-Karvon-Signature with it."],
    Subscriptions => ["Obunalar", "Подписки", "Subscriptions"],
    Pause => ["To'xtatish", "Приостановить", "Pause"],
    Resume => ["Davom ettirish", "Возобновить", "Resume"],
    LatestDeliveries => ["So'nggi yuborishlar", "Последние отправки", "Latest deliveries"],
    Attempts => ["Urinishlar", "Попытки", "Attempts"],
    LastAnswer => ["Oxirgi javob", "Последний ответ", "Last answer"],
    Delivered => ["Yetkazildi", "Доставлено", "Delivered"],
    DeliveryPending => ["Kutilmoqda", "Ожидает", "Pending"],
    DeliveryFailed => ["Yetkazilmadi", "Не доставлено", "Failed"],
    Replay => ["Qayta yuborish", "Отправить снова", "Send again"],
    NavWebhooks => ["Vebxuklar", "Вебхуки", "Webhooks"],
    BusySaving => ["Saqlanmoqda…", "Сохраняется…", "Saving…"],
    BusySending => ["Yuborilmoqda…", "Отправляется…", "Sending…"],
    BusyConnecting => ["Ulanmoqda: IMAP va SMTP tekshirilmoqda…", "Подключение: проверяем IMAP и SMTP…", "Connecting: checking IMAP and SMTP…"],
    BusySyncing => ["Sinxronlanmoqda…", "Синхронизация…", "Syncing…"],
    BusyUploading => ["Yuklanmoqda…", "Загружается…", "Uploading…"],
    BusyImporting => ["Import qilinmoqda…", "Импорт идёт…", "Importing…"],
    BusySigningIn => ["Kirilmoqda…", "Вход…", "Signing in…"],
    BusyMerging => ["Birlashtirilmoqda…", "Объединяем…", "Merging…"],
    RevokeTokenQuestion => ["Tokenni bekor qilasizmi? Undan foydalanayotgan dasturlar darhol kira olmay qoladi.", "Отозвать токен? Программы, которые им пользуются, сразу потеряют доступ.", "Revoke the token? Programs using it lose access at once."],
    RevokeYes => ["Ha, bekor qilish", "Да, отозвать", "Yes, revoke"],
    DisconnectMailboxQuestion => ["Pochta qutisini uzasizmi? Olingan xatlar Karvonda qoladi; u orqali endi xat olinmaydi va yuborilmaydi.", "Отключить ящик? Полученные письма останутся в Karvon; через него больше не будут получать и отправлять почту.", "Disconnect the mailbox? Mail already received stays in Karvon; nothing is fetched or sent through it any more."],
    DisconnectYes => ["Ha, uzish", "Да, отключить", "Yes, disconnect"],
    DeleteTemplateQuestion => ["Shablonni o'chirasizmi? Yuborilgan xatlar o'zgarmaydi.", "Удалить шаблон? Уже отправленные письма не изменятся.", "Delete the template? Letters already sent keep their text."],
    DeleteYes => ["Ha, o'chirish", "Да, удалить", "Yes, delete"],
    CalendarFeedRenewQuestion => ["Yangi havola yaratilsinmi? Eski havolaga obuna bo'lgan taqvimlar yangilanmay qoladi.", "Сделать новую ссылку? Календари, подписанные на старую, перестанут обновляться.", "Make a new link? Calendars subscribed to the old one stop updating."],
    CalendarFeedOffQuestion => ["Havolani o'chirasizmi? Unga obuna bo'lgan taqvimlar yangilanmay qoladi.", "Отключить ссылку? Подписанные на неё календари перестанут обновляться.", "Turn the link off? Calendars subscribed to it stop updating."],
    YesRenew => ["Ha, yangisini yaratish", "Да, сделать новую", "Yes, make a new one"],
    YesTurnOff => ["Ha, o'chirish", "Да, отключить", "Yes, turn off"],
    RecordArchived => ["Arxivda", "В архиве", "Archived"],
    ArchiveFilter => ["Arxiv", "Архив", "Archive"],
    ActiveRecords => ["Faollar", "Действующие", "Active"],
    ArchivedRecords => ["Arxivdagilar", "В архиве", "Archived"],
    AllRecords => ["Hammasi (arxiv bilan)", "Все (с архивом)", "All (with archived)"],
    ArchiveAction => ["Arxivlash", "В архив", "Archive"],
    RestoreAction => ["Arxivdan qaytarish", "Вернуть из архива", "Restore"],
    UndoAction => ["Bekor qilish", "Отменить", "Undo"],
    BusyArchiving => ["Arxivlanmoqda…", "Переносим в архив…", "Archiving…"],
    BusyRestoring => ["Qaytarilmoqda…", "Возвращаем…", "Restoring…"],
    BusyDeleting => ["O'chirilmoqda…", "Удаляем…", "Deleting…"],
    BusyErasing => ["O'chirilmoqda…", "Стираем…", "Erasing…"],
    JustArchived => ["Arxivga o'tkazildi.", "Перенесено в архив.", "Archived."],
    ArchivedNotice => [
        "Bu yozuv arxivda: ro'yxatlarda, qidiruvda va hisoblarda ko'rinmaydi. Unga bog'liq hamma narsa saqlangan.",
        "Эта запись в архиве: её нет в списках, поиске и подсчётах. Всё связанное с ней сохранено.",
        "This record is archived: it is left out of lists, searches and counts. Everything attached to it is kept."
    ],
    DeleteForever => ["Butunlay o'chirish…", "Удалить навсегда…", "Delete for good…"],
    DeleteRecordQuestion => [
        "Butunlay o'chirilsinmi? Buni qaytarib bo'lmaydi. U bilan birga o'chadi:",
        "Удалить навсегда? Это нельзя отменить. Вместе с записью удалится:",
        "Delete for good? This cannot be undone. Going with it:"
    ],
    DeleteNothingElse => ["Boshqa hech narsa o'chmaydi.", "Больше ничего не удалится.", "Nothing else goes with it."],
    EraseAction => ["Shaxsiy ma'lumotlarni o'chirish…", "Стереть персональные данные…", "Erase personal data…"],
    EraseQuestion => [
        "Ism, telefonlar, e-pochtalar, izohlar, teglar va qo'shimcha maydonlar o'chiriladi, tarixdagi qiymatlar \"o'chirilgan\" bo'ladi. Bitimlar va muloqotlar qoladi. Buni qaytarib bo'lmaydi.",
        "Имя, телефоны, e-mail, заметки, теги и доп. поля будут стёрты, значения в истории станут «стёрто». Сделки и взаимодействия останутся. Это нельзя отменить.",
        "The name, phones, e-mails, notes, tags and extra fields are erased and the values in the history become \"erased\". Deals and interactions stay. This cannot be undone."
    ],
    EraseYes => ["Ha, o'chirish", "Да, стереть", "Yes, erase"],
    Erased => ["Shaxsiy ma'lumotlar o'chirildi.", "Персональные данные стёрты.", "Personal data erased."],
    Deleted => ["O'chirildi.", "Удалено.", "Deleted."],
    ErasedValue => ["o'chirilgan", "стёрто", "erased"],
    EvArchived => ["arxivlandi", "перенесён в архив", "archived"],
    EvRestored => ["arxivdan qaytarildi", "возвращён из архива", "restored"],
    EvDeleted => ["o'chirildi", "удалён", "deleted"],
    EvErased => ["shaxsiy ma'lumotlari o'chirildi", "персональные данные стёрты", "personal data erased"],
    GoesDeals => ["{} ta bitim", "{} сделка|{} сделки|{} сделок", "{} deal|{} deals"],
    GoesInteractions => ["{} ta muloqot", "{} взаимодействие|{} взаимодействия|{} взаимодействий", "{} interaction|{} interactions"],
    GoesTasks => ["{} ta vazifa", "{} задача|{} задачи|{} задач", "{} task|{} tasks"],
    GoesContacts => [
        "faqat shu mijozning {} ta kontakti",
        "{} контакт только этого клиента|{} контакта только этого клиента|{} контактов только этого клиента",
        "{} contact of this customer alone|{} contacts of this customer alone"
    ],
    GoesCounterparties => [
        "faqat shu mijozning {} ta kontragenti",
        "{} контрагент только этого клиента|{} контрагента только этого клиента|{} контрагентов только этого клиента",
        "{} counterparty of this customer alone|{} counterparties of this customer alone"
    ],
    GoesBankAccounts => ["{} ta bank hisobi", "{} банковский счёт|{} банковских счёта|{} банковских счетов", "{} bank account|{} bank accounts"],
    GoesAttachments => ["{} ta fayl", "{} файл|{} файла|{} файлов", "{} file|{} files"],
    GoesHistory => ["{} ta tarix yozuvi", "{} запись истории|{} записи истории|{} записей истории", "{} history entry|{} history entries"],
    Phones => ["Telefonlar", "Телефоны", "Phones"],
    Emails => ["E-pochtalar", "E-mail", "E-mails"],
    CommaList => ["vergul bilan ajrating", "через запятую", "separated by commas"],
    ManifestDescription => [
        "Karvon: mijozlar, bitimlar va savdo bir joyda",
        "Karvon: клиенты, сделки и продажи в одном месте",
        "Karvon: customers, deals and sales in one place"
    ],
    Pagination => ["Sahifalar", "Страницы", "Pages"],
    EditContact => ["Kontaktni tahrirlash", "Изменить контакт", "Edit contact"],
    RemoveBankAccount => ["Hisobni olib tashlash", "Убрать счёт", "Remove account"],
    RemoveBankAccountQuestion => [
        "Bank hisobi olib tashlansinmi? Tarixda uning yozuvi qoladi.",
        "Убрать банковский счёт? В истории останется запись о нём.",
        "Remove the bank account? The history keeps a record of it."
    ],
    YesRemove => ["Ha, olib tashlash", "Да, убрать", "Yes, remove"],
    ErrKeptAsSent => [
        "Yuborilgan yoki olingan xabar o'zgartirilmaydi",
        "Отправленное или полученное сообщение не изменяется",
        "What was sent or received is kept as it was"
    ],
    ErrResetUnavailable => [
        "Parolni e-mail orqali tiklash sozlanmagan: administratorga murojaat qiling",
        "Восстановление пароля по почте не настроено: обратитесь к администратору",
        "Password reset by e-mail is not set up: ask your administrator"
    ],
    ErrResetLinkInvalid => [
        "Havola eskirgan yoki ishlatilgan: yangisini so'rang",
        "Ссылка устарела или уже использована: запросите новую",
        "The link has expired or was used: ask for a new one"
    ],
    ForgotPassword => ["Parolni unutdingizmi?", "Забыли пароль?", "Forgot your password?"],
    ForgotPasswordTitle => ["Parolni tiklash", "Восстановление пароля", "Reset your password"],
    ForgotPasswordIntro => [
        "E-mail manzilingizni kiriting: yangi parol o'rnatish uchun havola yuboramiz.",
        "Введите ваш e-mail: мы пришлём ссылку, чтобы задать новый пароль.",
        "Enter your e-mail address: we will send a link to set a new password."
    ],
    SendResetLink => ["Havolani yuborish", "Отправить ссылку", "Send the link"],
    BusySendingLink => ["Yuborilmoqda…", "Отправляем…", "Sending…"],
    ResetLinkSent => [
        "Agar bu manzil hisobga tegishli bo'lsa, unga havola yuborildi. U bir soat ishlaydi.",
        "Если этот адрес принадлежит учётной записи, на него отправлена ссылка. Она действует час.",
        "If this address belongs to an account, a link was sent to it. It works for an hour."
    ],
    BackToLogin => ["Kirish sahifasiga qaytish", "Вернуться ко входу", "Back to sign-in"],
    SetNewPassword => ["Yangi parol o'rnatish", "Задать новый пароль", "Set a new password"],
    PasswordResetDone => [
        "Parol o'zgartirildi. Yangi parol bilan kiring.",
        "Пароль изменён. Войдите с новым паролем.",
        "Your password was changed. Sign in with the new one."
    ],
    ResetMailSubject => ["Karvon: parolni tiklash", "Karvon: восстановление пароля", "Karvon: reset your password"],
    ResetMailBody => [
        "Salom!\n\nKarvon'da yangi parol o'rnatish uchun havolani oching (u bir soat ishlaydi):\n\n{0}\n\nAgar buni siz so'ramagan bo'lsangiz, bu xatga e'tibor bermang: parolingiz o'zgarmaydi.",
        "Здравствуйте!\n\nЧтобы задать новый пароль в Karvon, откройте ссылку (она действует час):\n\n{0}\n\nЕсли вы этого не запрашивали, просто не обращайте внимания на письмо: пароль не изменится.",
        "Hello,\n\nTo set a new password in Karvon, open this link (it works for an hour):\n\n{0}\n\nIf you did not ask for this, ignore this letter: your password stays as it is."
    ],
    SystemMailbox => ["Tizim xatlari uchun pochta qutisi", "Ящик для системных писем", "Mailbox for system letters"],
    SystemMailboxHint => [
        "Parolni tiklash havolalari shu umumiy qutidan yuboriladi (KARVON_PUBLIC_URL ham kerak).",
        "Ссылки для восстановления пароля отправляются из этого общего ящика (нужен и KARVON_PUBLIC_URL).",
        "Password links are sent from this shared mailbox (KARVON_PUBLIC_URL must be set too)."
    ],
    NoSystemMailbox => ["Yo'q (havolalar yuborilmaydi)", "Нет (ссылки не отправляются)", "None (no links are sent)"],
    PossibleDuplicatesCount => [
        "Ehtimoliy dublikatlar: {} ta",
        "{} возможный дубликат|{} возможных дубликата|{} возможных дубликатов",
        "{} possible duplicate|{} possible duplicates"
    ],
    CompanyTimeZone => ["Kompaniya vaqt mintaqasi", "Часовой пояс компании", "Company time zone"],
    CompanyTimeZoneHint => [
        "Barcha vaqtlar shu mintaqada ko'rsatiladi (profilda o'z mintaqasini tanlagan foydalanuvchilardan tashqari).",
        "Все времена показываются в этом поясе (кроме пользователей, выбравших свой пояс в профиле).",
        "Every time is shown in this zone (except to users who chose their own in their profile)."
    ],
    MyTimeZone => ["Mening vaqt mintaqam", "Мой часовой пояс", "My time zone"],
    EditInteraction => ["Muloqotni tahrirlash", "Изменить взаимодействие", "Edit interaction"],
    BulkActions => ["Tanlanganlar bilan", "С выбранными", "With the selected"],
    BulkReassign => ["Boshqa menejerga berish", "Передать другому менеджеру", "Hand to another manager"],
    BulkTag => ["Teg qo'shish", "Добавить тег", "Add a tag"],
    BulkAddToSegment => ["Statik segmentga qo'shish", "Добавить в статический сегмент", "Add to a static segment"],
    BulkArchive => ["Arxivlash", "В архив", "Archive"],
    BulkRestore => ["Arxivdan qaytarish", "Вернуть из архива", "Restore"],
    BulkAllMatching => ["Filtrga mos hammasi (faqat shu sahifa emas)", "Все по фильтру (не только эта страница)", "Everything the filter finds (not only this page)"],
    BulkApply => ["Bajarish", "Выполнить", "Apply"],
    BulkBusy => ["Bajarilmoqda…", "Выполняем…", "Working…"],
    BulkDone => ["Bajarildi. O'zgardi: {0}, o'zgarishsiz: {1}.", "Готово. Изменено: {0}, без изменений: {1}.", "Done. Changed: {0}, unchanged: {1}."],
    ExportSelected => ["Tanlanganlarni eksport (CSV)", "Экспорт выбранных (CSV)", "Export selected (CSV)"],
    SelectRow => ["Tanlash", "Выбрать", "Select"],
    SelectPage => ["Sahifadagi hammasini tanlash", "Выбрать всех на странице", "Select everyone on this page"],
    NewManager => ["Yangi menejer", "Новый менеджер", "New manager"],
    Tag => ["Teg", "Тег", "Tag"],
    GoesDraftOrders => [
        "{} ta buyurtma qoralamasi",
        "{} черновик заказа|{} черновика заказов|{} черновиков заказов",
        "{} draft order|{} draft orders"
    ],
    GoesMail => [
        "{} ta xat bog'lanishdan chiqadi (pochta qutisida qoladi)",
        "{} письмо будет отвязано (останется в ящике)|{} письма будут отвязаны (останутся в ящике)|{} писем будут отвязаны (останутся в ящике)",
        "{} e-mail unlinked (it stays in the mailbox)|{} e-mails unlinked (they stay in the mailbox)"
    ],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"), Some(Lang::Ru));
        assert_eq!(Lang::from_accept_language("de-DE, en;q=0.5, uz;q=0.7"), Some(Lang::Uz));
        assert_eq!(Lang::from_accept_language("de-DE,fr"), None);
        assert_eq!(Lang::from_accept_language("uz-Latn-UZ"), Some(Lang::Uz));
    }

    #[test]
    fn every_message_is_translated() {
        // A sample of keys: the macro forces all three columns, here we check none is left empty.
        for m in [Msg::AppName, Msg::ErrConflict, Msg::TimelineEmpty] {
            for l in Lang::ALL {
                assert!(!m.text(l).is_empty());
            }
        }
        assert_ne!(Msg::LogIn.text(Lang::Ru), Msg::LogIn.text(Lang::En));
    }

    #[test]
    fn counted_messages_take_the_language_plural() {
        let ru = |n| Msg::MailMessagesCount.counted(Lang::Ru, n);
        assert_eq!(
            [ru(1), ru(2), ru(5), ru(11), ru(12), ru(21), ru(22), ru(25), ru(111), ru(0)],
            [
                "1 письмо",
                "2 письма",
                "5 писем",
                "11 писем",
                "12 писем",
                "21 письмо",
                "22 письма",
                "25 писем",
                "111 писем",
                "0 писем"
            ]
        );
        assert_eq!(Msg::MailMessagesCount.counted(Lang::Ru, 1234), "1\u{a0}234 письма");
        let en = |n| Msg::GoesTasks.counted(Lang::En, n);
        assert_eq!([en(1), en(2), en(0)], ["1 task", "2 tasks", "0 tasks"]);
        assert_eq!(Msg::MailMessagesCount.counted(Lang::Uz, 5), "5 ta xat");
    }
}
