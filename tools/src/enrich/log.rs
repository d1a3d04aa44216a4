//! Reading purchase logs and user attributes in the generic CSV form.
//!
//! **Purchase log** (header row required, column order free, names case-insensitive):
//! `user`, `item`, `time` (required); `basket`, `quantity`, `price`, `category`
//! (optional). `time` is `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`,
//! `YYYY-MM-DDTHH:MM:SS[Z]` (UTC) or epoch milliseconds; `quantity` > 0 (default 1);
//! `price` is the unit price, > 0. A basket is `basket` when given, else one user's
//! purchases on one (UTC) day.
//!
//! **User attributes** (optional): `user` and any of `age` (years) or `ageBand`
//! (`<25`, `25-29`, …, `60-64`, `>65` / `65+`, or `0`–`9`), `income` (monthly CNY) or
//! `incomeBand` (1–5), `area`, `lat` + `lng` (WGS-84).
//!
//! A line that cannot be read is counted under its reason and skipped; the counts and
//! the first examples are in [`ReadReport`], so nothing is dropped silently and no
//! bad line is fatal. Only a missing required column is an error.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use goods_ranker::catalog::{age_band, AGE_BANDS};
use goods_ranker::profile::{income_band_for, DAY_MS};

/// Interns strings to dense indexes.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// Index → name.
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    /// The index of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.to_string(), i);
        self.names.push(name.to_string());
        i
    }

    /// The index of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One purchase line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// User index.
    pub user: u32,
    /// Item index.
    pub item: u32,
    /// Basket key: an interned basket id, or the day number when the log has none.
    pub basket: u32,
    /// Epoch ms.
    pub at: f64,
    /// Units (> 0).
    pub quantity: f32,
    /// Unit price, NaN when absent.
    pub price: f32,
}

/// What a user-attributes file says about one user.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UserAttrs {
    /// Age band 0..[`AGE_BANDS`].
    pub age_band: Option<u8>,
    /// Income band 1..=5.
    pub income_band: Option<u8>,
    /// Area index into [`Log::areas`].
    pub area: Option<u32>,
    /// WGS-84 (lat, lng).
    pub location: Option<(f64, f64)>,
}

/// Counts of what reading a file found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadReport {
    /// Data lines read (not counting the header).
    pub lines: usize,
    /// Lines used.
    pub ok: usize,
    /// Lines skipped, by reason.
    pub malformed: BTreeMap<String, usize>,
    /// The first few skipped lines: (line number, reason).
    pub examples: Vec<(usize, String)>,
}

impl ReadReport {
    /// Total skipped lines.
    pub fn malformed_total(&self) -> usize {
        self.malformed.values().sum()
    }

    fn skip(&mut self, line: usize, reason: &str) {
        *self.malformed.entry(reason.to_string()).or_insert(0) += 1;
        if self.examples.len() < 10 {
            self.examples.push((line, reason.to_string()));
        }
    }

    /// One line of text, e.g. `817741 lines, 817741 used, 0 malformed`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} lines, {} used, {} malformed",
            self.lines,
            self.ok,
            self.malformed_total()
        );
        for (reason, n) in &self.malformed {
            s.push_str(&format!("; {reason}: {n}"));
        }
        s
    }
}

/// A purchase log with its user attributes.
#[derive(Clone, Debug, Default)]
pub struct Log {
    /// User ids.
    pub users: Interner,
    /// Item ids.
    pub items: Interner,
    /// Category names.
    pub categories: Interner,
    /// Basket ids (when the log has a `basket` column).
    pub baskets: Interner,
    /// Area ids.
    pub areas: Interner,
    /// Per item: its category (the first one seen), if any.
    pub item_category: Vec<Option<u32>>,
    /// Purchase lines, in file order.
    pub lines: Vec<Line>,
    /// Per user (index of `users`): attributes.
    pub attrs: Vec<UserAttrs>,
    /// Whether baskets are explicit (`basket` column) rather than user-days.
    pub explicit_baskets: bool,
    /// What reading the purchase log found.
    pub report: ReadReport,
    /// What reading the user attributes found.
    pub users_report: ReadReport,
}

/// A fatal reading error: an unreadable file or a missing required column.
#[derive(Debug)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        names.iter().any(|n| h == n.to_ascii_lowercase())
    })
}

fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input)
}

impl Log {
    /// Reads a purchase log.
    ///
    /// # Errors
    /// An unreadable header or a missing `user`, `item` or `time` column.
    pub fn read_purchases<R: Read>(input: R) -> Result<Self, ReadError> {
        let mut log = Log::default();
        log.add_purchases(input)?;
        Ok(log)
    }

    fn add_purchases<R: Read>(&mut self, input: R) -> Result<(), ReadError> {
        let mut rdr = reader(input);
        let headers = rdr
            .headers()
            .map_err(|e| ReadError(format!("purchase log: cannot read the header: {e}")))?
            .clone();
        let need = |names: &[&str], what: &str| {
            column(&headers, names)
                .ok_or_else(|| ReadError(format!("purchase log: no `{what}` column")))
        };
        let c_user = need(&["user", "user_id", "customer"], "user")?;
        let c_item = need(&["item", "item_id", "product"], "item")?;
        let c_time = need(&["time", "timestamp", "date", "at"], "time")?;
        let c_basket = column(&headers, &["basket", "basket_id", "order", "order_id"]);
        let c_qty = column(&headers, &["quantity", "qty", "amount"]);
        let c_price = column(&headers, &["price", "unit_price"]);
        let c_cat = column(&headers, &["category"]);
        self.explicit_baskets = c_basket.is_some();
        let mut record = csv::StringRecord::new();
        let mut line_no = 1;
        loop {
            line_no += 1;
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(_) => {
                    self.report.lines += 1;
                    self.report.skip(line_no, "unreadable CSV");
                    continue;
                }
            }
            self.report.lines += 1;
            let field = |c: usize| record.get(c).unwrap_or("");
            let (user, item, time) = (field(c_user), field(c_item), field(c_time));
            if user.is_empty() {
                self.report.skip(line_no, "missing user");
                continue;
            }
            if item.is_empty() {
                self.report.skip(line_no, "missing item");
                continue;
            }
            let Some(at) = parse_time(time) else {
                self.report.skip(line_no, "bad time");
                continue;
            };
            let quantity = match c_qty.map(field).filter(|s| !s.is_empty()) {
                None => 1.0,
                Some(q) => match q.parse::<f64>() {
                    Ok(q) if q.is_finite() && q > 0.0 => q as f32,
                    _ => {
                        self.report.skip(line_no, "bad quantity (not a number > 0)");
                        continue;
                    }
                },
            };
            let price = match c_price.map(field).filter(|s| !s.is_empty()) {
                None => f32::NAN,
                Some(p) => match p.parse::<f64>() {
                    Ok(p) if p.is_finite() && p > 0.0 => p as f32,
                    _ => {
                        self.report.skip(line_no, "bad price (not a number > 0)");
                        continue;
                    }
                },
            };
            let basket = match c_basket.map(field) {
                Some(b) if !b.is_empty() => self.baskets.intern(b),
                Some(_) => {
                    self.report.skip(line_no, "missing basket");
                    continue;
                }
                None => libm::floor(at / DAY_MS) as i64 as u32,
            };
            let user = self.users.intern(user);
            let item_idx = self.items.intern(item);
            if item_idx as usize == self.item_category.len() {
                let cat = c_cat
                    .map(field)
                    .filter(|s| !s.is_empty())
                    .map(|c| self.categories.intern(c));
                self.item_category.push(cat);
            }
            self.lines.push(Line {
                user,
                item: item_idx,
                basket,
                at,
                quantity,
                price,
            });
            self.report.ok += 1;
        }
        self.attrs.resize(self.users.len(), UserAttrs::default());
        Ok(())
    }

    /// Reads a user-attributes file into the log's users. Users the log has never seen
    /// are counted as malformed ("unknown user").
    ///
    /// # Errors
    /// An unreadable header or no `user` column.
    pub fn read_users<R: Read>(&mut self, input: R) -> Result<(), ReadError> {
        let mut rdr = reader(input);
        let headers = rdr
            .headers()
            .map_err(|e| ReadError(format!("user attributes: cannot read the header: {e}")))?
            .clone();
        let c_user = column(&headers, &["user", "user_id", "customer"])
            .ok_or_else(|| ReadError("user attributes: no `user` column".into()))?;
        let c_age = column(&headers, &["age"]);
        let c_age_band = column(&headers, &["ageBand", "age_band", "age_group"]);
        let c_income = column(&headers, &["income", "monthlyIncome", "monthly_income"]);
        let c_income_band = column(&headers, &["incomeBand", "income_band"]);
        let c_area = column(&headers, &["area", "zone", "postcode", "pin_code"]);
        let c_lat = column(&headers, &["lat", "latitude"]);
        let c_lng = column(&headers, &["lng", "lon", "longitude"]);
        self.attrs.resize(self.users.len(), UserAttrs::default());
        let mut record = csv::StringRecord::new();
        let mut line_no = 1;
        let report = &mut self.users_report;
        loop {
            line_no += 1;
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(_) => {
                    report.lines += 1;
                    report.skip(line_no, "unreadable CSV");
                    continue;
                }
            }
            report.lines += 1;
            let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
            let Some(user) = self.users.get(field(Some(c_user))) else {
                report.skip(line_no, "unknown user (not in the purchase log)");
                continue;
            };
            let mut a = UserAttrs::default();
            let age = field(c_age);
            let band = field(c_age_band);
            if !age.is_empty() {
                match age.parse::<u32>() {
                    Ok(y) if y <= 150 => a.age_band = Some(age_band(y) as u8),
                    _ => {
                        report.skip(line_no, "bad age");
                        continue;
                    }
                }
            } else if !band.is_empty() {
                match parse_age_band(band) {
                    Some(b) => a.age_band = Some(b),
                    None => {
                        report.skip(line_no, "bad age band");
                        continue;
                    }
                }
            }
            let income = field(c_income);
            let income_band = field(c_income_band);
            if !income_band.is_empty() {
                match income_band.parse::<u8>() {
                    Ok(b) if (1..=5).contains(&b) => a.income_band = Some(b),
                    _ => {
                        report.skip(line_no, "bad income band");
                        continue;
                    }
                }
            } else if !income.is_empty() {
                match income.parse::<f64>() {
                    Ok(m) if m.is_finite() && m >= 0.0 => a.income_band = Some(income_band_for(m)),
                    _ => {
                        report.skip(line_no, "bad income");
                        continue;
                    }
                }
            }
            let (lat, lng) = (field(c_lat), field(c_lng));
            if !lat.is_empty() || !lng.is_empty() {
                match (lat.parse::<f64>(), lng.parse::<f64>()) {
                    (Ok(la), Ok(ln))
                        if goods_ranker::util::geo::check_lat_lng(la, ln).is_ok()
                            && la.is_finite()
                            && ln.is_finite() =>
                    {
                        a.location = Some((la, ln));
                    }
                    _ => {
                        report.skip(line_no, "bad lat/lng");
                        continue;
                    }
                }
            }
            let area = field(c_area);
            if !area.is_empty() {
                a.area = Some(self.areas.intern(area));
            }
            self.attrs[user as usize] = a;
            report.ok += 1;
        }
        Ok(())
    }
}

/// Parses an age band label: `<25`, `25-29`, …, `60-64`, `>65`, `65+`, or `0`–`9`.
pub fn parse_age_band(s: &str) -> Option<u8> {
    let s = s.trim();
    if let Ok(i) = s.parse::<u8>() {
        return (usize::from(i) < AGE_BANDS).then_some(i);
    }
    if let Some(rest) = s.strip_prefix('<') {
        let y: u32 = rest.trim().parse().ok()?;
        return Some(age_band(y.saturating_sub(1)) as u8);
    }
    if let Some(rest) = s.strip_prefix('>').or_else(|| s.strip_suffix('+')) {
        let y: u32 = rest.trim().trim_start_matches('=').parse().ok()?;
        return Some(age_band(y) as u8);
    }
    let (lo, hi) = s.split_once('-')?;
    let (lo, hi): (u32, u32) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    (lo <= hi).then(|| age_band(lo) as u8)
}

/// A representative age in years for an age band (its middle; 22 and 68 at the ends).
pub fn band_age(band: u8) -> u32 {
    match band {
        0 => 22,
        b if usize::from(b) >= AGE_BANDS - 1 => 68,
        b => 25 + 5 * (u32::from(b) - 1) + 2,
    }
}

/// Parses a time: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM:SS[Z]`
/// (UTC), or integer epoch ms. `None` when it is none of these.
pub fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
        return s.parse::<f64>().ok();
    }
    let (date, rest) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim_end_matches('Z')),
        None => (s, ""),
    };
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let mut secs = 0.0;
    if !rest.is_empty() {
        let mut hms = rest.split(':');
        let h: u32 = hms.next()?.parse().ok()?;
        let mi: u32 = hms.next()?.parse().ok()?;
        let sec: f64 = hms.next().map_or(Some(0.0), |x| x.parse().ok())?;
        if hms.next().is_some() || h > 23 || mi > 59 || !(0.0..61.0).contains(&sec) {
            return None;
        }
        secs = f64::from(h * 3600 + mi * 60) + sec;
    }
    Some(days_from_civil(y, m, d) as f64 * DAY_MS + secs * 1000.0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
