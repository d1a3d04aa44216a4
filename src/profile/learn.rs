//! Learning: declared attributes, the purchase history replayed, and events (time-
//! decayed affinities, purchase cycles, price comfort, impression and dismissal
//! counts), within the profile's size bounds.

use litemap::LiteMap;

use super::{
    income_band_for, local_day, CategoryState, Decayed, Profile, Push, DAY_MS, MAX_CATEGORIES,
    MAX_DISMISSED, MAX_HISTORY, MAX_ITEMS, MAX_PUSHES, MAX_QUANTITY,
};
use crate::contract::check::{check_location, check_positive, check_time};
use crate::contract::input::{EventInput, EventType, PurchaseInput, UserInput};
use crate::error::{describe_number, Error, Result};

impl Profile {
    /// Sets the declared attributes (age, income, location) and replays `history` as
    /// purchases, oldest first. Absent fields are left as they were.
    ///
    /// # Errors
    /// `invalidInput` naming the bad field (paths start at `user`); the profile is
    /// unchanged then.
    pub fn set_user(&mut self, user: &UserInput) -> Result<()> {
        let age = match user.age {
            Some(a) if a > 150 => {
                return Err(Error::invalid(
                    "user.age",
                    format!("expected an age in 0..=150, got {a}"),
                ))
            }
            a => a,
        };
        let band = match (user.income_band, user.monthly_income) {
            (Some(b), _) if !(1..=5).contains(&b) => {
                return Err(Error::invalid(
                    "user.incomeBand",
                    format!("expected an income band in 1..=5, got {b}"),
                ))
            }
            (Some(b), _) => Some(b),
            (None, Some(m)) if !m.is_finite() || m < 0.0 => {
                return Err(Error::invalid(
                    "user.monthlyIncome",
                    format!("expected a number ≥ 0, got {}", describe_number(m)),
                ))
            }
            (None, Some(m)) => Some(income_band_for(m)),
            (None, None) => None,
        };
        let location = user
            .location
            .as_ref()
            .map(|l| check_location(l, "user.location"))
            .transpose()?;
        let history = user.history.as_deref().unwrap_or_default();
        if history.len() > MAX_HISTORY {
            return Err(Error::new(
                crate::error::ErrorCode::TooLarge,
                "user.history",
                format!("too many entries ({} > {MAX_HISTORY})", history.len()),
            ));
        }
        let events = history
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let event = purchase_event(p);
                check_event(&event).map_err(|e| e.within(&format!("user.history[{i}]")))?;
                Ok(event)
            })
            .collect::<Result<Vec<_>>>()?;
        // Everything is valid: apply.
        if age.is_some() {
            self.age = age;
        }
        if band.is_some() {
            self.income_band = band;
        }
        if location.is_some() {
            self.location = location;
        }
        // Oldest first; equal times keep their order in `history`.
        for i in crate::util::order::ascending(events.iter().map(|e| e.at)) {
            self.apply(&events[i as usize]);
        }
        Ok(())
    }

    /// Records one event.
    ///
    /// # Errors
    /// `invalidInput` naming the bad field (paths start at `event`); the profile is
    /// unchanged then.
    pub fn record(&mut self, event: &EventInput) -> Result<()> {
        check_event(event).map_err(|e| e.within("event"))?;
        self.apply(event);
        Ok(())
    }

    /// Applies a validated event.
    fn apply(&mut self, event: &EventInput) {
        self.events += 1;
        let t = event.at;
        let quantity = f64::from(event.quantity.unwrap_or(1).max(1));
        let strength = match event.kind {
            EventType::Impression | EventType::Dismiss | EventType::Push => 0.0,
            EventType::Click => 0.3,
            EventType::Cart => 0.6,
            EventType::Purchase => quantity.sqrt(),
        };
        if event.kind == EventType::Push {
            let at = self.pushes.partition_point(|p| p.at <= t);
            self.pushes.insert(
                at,
                Push {
                    at: t,
                    offer_id: event.offer_id.clone(),
                },
            );
            if self.pushes.len() > MAX_PUSHES {
                self.pushes.remove(0);
            }
            return;
        }
        if event.kind == EventType::Dismiss {
            self.dismissed.insert(event.offer_id.clone(), t);
            self.items.remove(&event.offer_id);
            if let Some(category) = &event.category {
                let c = self.categories.entry(category.clone()).or_default();
                c.affinity.value *= 0.5;
                c.dismissals.add(1.0, t);
            }
            evict(&mut self.dismissed, MAX_DISMISSED, |at| *at);
            let now = t;
            evict(&mut self.categories, MAX_CATEGORIES, |s| {
                category_strength(s, now)
            });
            return;
        }
        let day = local_day(t, self.utc_offset_min);
        let item = self.items.entry(event.offer_id.clone()).or_default();
        match event.kind {
            EventType::Impression => {
                item.impressions.add(1.0, t);
                item.ignored = item.ignored.saturating_add(1);
                item.last_impression_at = item.last_impression_at.max(t);
                count_day(&mut item.day, &mut item.day_impressions, day);
            }
            _ => {
                item.affinity.add(strength, t);
                item.impressions = Decayed::default();
                item.ignored = 0;
            }
        }
        if event.kind == EventType::Purchase {
            item.purchases += 1;
            learn_interval(&mut item.interval_days, &mut item.last_purchase_at, t);
        }
        if let Some(category) = &event.category {
            if event.kind == EventType::Impression {
                let c = self.categories.entry(category.clone()).or_default();
                c.impressions.add(1.0, t);
                count_day(&mut c.day, &mut c.day_impressions, day);
            }
            if strength > 0.0 {
                let c = self.categories.entry(category.clone()).or_default();
                c.affinity.add(strength, t);
                if event.kind == EventType::Purchase {
                    c.purchases += 1;
                    learn_interval(&mut c.interval_days, &mut c.last_purchase_at, t);
                    if let Some(price) = event.price {
                        c.price_count = (c.price_count + 1).min(20);
                        let n = f64::from(c.price_count);
                        c.ln_price_mean += (libm::log(price) - c.ln_price_mean) / n;
                    }
                }
            }
        }
        let now = t;
        evict(&mut self.items, MAX_ITEMS, |s| {
            s.affinity.at(now) + 0.1 * s.impressions.at(now)
        });
        evict(&mut self.categories, MAX_CATEGORIES, |s| {
            category_strength(s, now)
        });
    }
}

/// Counts an impression at local day `day` into a (day, count) pair: a later day
/// starts a new count, an earlier one is not counted.
fn count_day(slot_day: &mut i32, count: &mut u32, day: i32) {
    if day > *slot_day || *count == 0 {
        *slot_day = day;
        *count = 1;
    } else if day == *slot_day {
        *count = count.saturating_add(1);
    }
}

/// How much a category entry is worth keeping when the profile is full.
fn category_strength(s: &CategoryState, now: f64) -> f64 {
    s.affinity.at(now) + 0.1 * (s.dismissals.at(now) + s.impressions.at(now))
}

fn purchase_event(p: &PurchaseInput) -> EventInput {
    EventInput {
        kind: EventType::Purchase,
        offer_id: p.offer_id.clone(),
        at: p.at,
        category: p.category.clone(),
        price: p.price,
        quantity: p.quantity,
    }
}

/// Validates an event's fields (paths relative to the event).
fn check_event(event: &EventInput) -> Result<()> {
    if event.offer_id.is_empty() || event.offer_id.len() > 128 {
        return Err(Error::invalid(
            "offerId",
            "expected a non-empty id of at most 128 bytes",
        ));
    }
    check_time(event.at, "at")?;
    if let Some(c) = &event.category {
        if c.trim().is_empty() || c.len() > 512 {
            return Err(Error::invalid(
                "category",
                "expected a non-empty string of at most 512 bytes",
            ));
        }
    }
    if let Some(p) = event.price {
        check_positive(p, "price", crate::catalog::limits::MAX_PRICE)?;
    }
    if let Some(q) = event.quantity {
        if !(1..=MAX_QUANTITY).contains(&q) {
            return Err(Error::invalid(
                "quantity",
                format!("expected an integer in 1..={MAX_QUANTITY}, got {q}"),
            ));
        }
    }
    Ok(())
}

/// Updates a purchase cycle with a purchase at `t`: gaps under half a day count as
/// the same shopping trip; the cycle is an exponential moving average of gaps.
fn learn_interval(interval_days: &mut f64, last_purchase_at: &mut f64, t: f64) {
    if *last_purchase_at > 0.0 && t > *last_purchase_at {
        let gap = (t - *last_purchase_at) / DAY_MS;
        if gap >= 0.5 {
            *interval_days = if *interval_days == 0.0 {
                gap
            } else {
                0.7 * *interval_days + 0.3 * gap
            };
        }
    }
    if t > *last_purchase_at {
        *last_purchase_at = t;
    }
}

/// Drops the weakest entries until `map` holds at most `max` (ties by key, so the
/// result is deterministic).
fn evict<V>(map: &mut LiteMap<String, V>, max: usize, strength: impl Fn(&V) -> f64) {
    if map.len() <= max {
        return;
    }
    // Evict down to 7/8 of the cap, not just below it: one ranking of the entries then
    // pays for the next max/8 new ones, so a full profile records events in amortised
    // constant time instead of scanning every entry per event.
    let keep = max - max / 8;
    // Entries are in key order, so ties by position are ties by key.
    let mut doomed = vec![false; map.len()];
    for &i in crate::util::order::ascending(map.values().map(strength))
        .iter()
        .take(map.len() - keep)
    {
        doomed[i as usize] = true;
    }
    let mut position = 0;
    map.retain(|_, _| {
        position += 1;
        !doomed[position - 1]
    });
}
