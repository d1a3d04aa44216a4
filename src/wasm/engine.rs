//! The engine module's exports: `Engine` and `Profile`.

use wasm_bindgen::prelude::*;

use super::convert::{
    self, from_js, from_js_or_default, from_js_or_json, js, optional_count, string_arg, to_js,
    JsResult,
};
use crate::contract::input::{
    CatalogInput, EngineOptions, EventInput, ExperimentInput, GroupOptions, NotifyOptions,
    OfferInput, RankOptions, StoreInput, UserInput,
};
use crate::engine::Engine;
use crate::profile::Profile;

/// A catalog loaded into the engine, ready to rank.
#[wasm_bindgen(js_name = Engine)]
pub struct JsEngine {
    inner: Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Loads a catalog (an object or JSON text) with optional engine-wide options.
    #[wasm_bindgen(js_name = fromCatalog)]
    pub fn from_catalog(
        #[wasm_bindgen(unchecked_param_type = "CatalogInput | string")] catalog: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EngineOptions")] options: Option<JsValue>,
    ) -> JsResult<JsEngine> {
        let catalog: CatalogInput = js(from_js_or_json(catalog, ""))?;
        let options: EngineOptions = js(from_js_or_default(options, "options"))?;
        Ok(JsEngine {
            inner: js(Engine::new(catalog, &options))?,
        })
    }

    /// Loads a binary catalog (from `toBinary()`, `catalogToBinary()` or the
    /// `goods-ranker-catalog` CLI).
    #[wasm_bindgen(js_name = fromBinary)]
    pub fn from_binary(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EngineOptions")] options: Option<JsValue>,
    ) -> JsResult<JsEngine> {
        let bytes = js(convert::bytes_arg(&bytes, "catalog"))?;
        let options: EngineOptions = js(from_js_or_default(options, "options"))?;
        Ok(JsEngine {
            inner: js(Engine::from_binary(&bytes, &options))?,
        })
    }

    /// The binary form of the current catalog.
    #[wasm_bindgen(js_name = toBinary)]
    pub fn to_binary(&self) -> Vec<u8> {
        self.inner.to_binary()
    }

    /// Ranks the catalog for a profile.
    #[wasm_bindgen(unchecked_return_type = "RankedOffer[]")]
    pub fn rank(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "RankOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options: RankOptions = js(from_js_or_default(options, "options"))?;
        to_js(&js(self.inner.rank(
            &profile.inner,
            &options,
            super::js::date_now(),
        ))?)
    }

    /// Ranks like `rank` and also returns the experiment variant that applied
    /// (`options.experiment` with `options.userId`), so the app can log it.
    #[wasm_bindgen(js_name = rankWithVariant, unchecked_return_type = "RankResult")]
    pub fn rank_with_variant(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "RankOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options: RankOptions = js(from_js_or_default(options, "options"))?;
        to_js(&js(self.inner.rank_with_variant(
            &profile.inner,
            &options,
            super::js::date_now(),
        ))?)
    }

    /// The push gate: whether any offer is worth a notification now, and which.
    #[wasm_bindgen(js_name = shouldNotify, unchecked_return_type = "NotifyDecision")]
    pub fn should_notify(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "NotifyOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options: NotifyOptions = js(from_js_or_default(options, "options"))?;
        to_js(&js(self.inner.should_notify(
            &profile.inner,
            &options,
            super::js::date_now(),
        ))?)
    }

    /// Chooses the offers that serve the most members of a group well.
    #[wasm_bindgen(js_name = rankForGroup, unchecked_return_type = "GroupSelection")]
    pub fn rank_for_group(
        &self,
        group: &JsGroup,
        #[wasm_bindgen(unchecked_param_type = "GroupOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options: GroupOptions = js(from_js_or_default(options, "options"))?;
        let members: Vec<(&Profile, Option<&str>)> = group
            .members
            .iter()
            .map(|(p, name)| (p, name.as_deref()))
            .collect();
        to_js(&js(self.inner.rank_for_group(
            &members,
            &options,
            super::js::date_now(),
        ))?)
    }

    /// The offers hard filters remove for a profile, with their reason codes.
    #[wasm_bindgen(unchecked_return_type = "FilteredOffer[]")]
    pub fn filtered(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "RankOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options: RankOptions = js(from_js_or_default(options, "options"))?;
        to_js(&js(self.inner.filtered(
            &profile.inner,
            &options,
            super::js::date_now(),
        ))?)
    }

    /// Records an event in a profile, filling in category and price from the catalog.
    pub fn record(
        &self,
        profile: &mut JsProfile,
        #[wasm_bindgen(unchecked_param_type = "ProfileEvent")] event: JsValue,
    ) -> JsResult<()> {
        let event: EventInput = js(from_js(event, "event"))?;
        js(self.inner.record(&mut profile.inner, &event))
    }

    /// Adds offers, replacing those with the same id. All or nothing.
    #[wasm_bindgen(js_name = upsertOffers)]
    pub fn upsert_offers(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "OfferInput[]")] offers: JsValue,
    ) -> JsResult<()> {
        let offers: Vec<OfferInput> = js(from_js(offers, "offers"))?;
        js(self.inner.upsert_offers(offers))
    }

    /// Adds stores, replacing those with the same id. All or nothing.
    #[wasm_bindgen(js_name = upsertStores)]
    pub fn upsert_stores(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "StoreInput[]")] stores: JsValue,
    ) -> JsResult<()> {
        let stores: Vec<StoreInput> = js(from_js(stores, "stores"))?;
        js(self.inner.upsert_stores(&stores))
    }

    /// Removes offers by id and returns how many were removed. All or nothing.
    #[wasm_bindgen(js_name = removeOffers)]
    pub fn remove_offers(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
    ) -> JsResult<u32> {
        let ids: Vec<String> = js(from_js(ids, "ids"))?;
        Ok(js(self.inner.remove_offers(&ids))? as u32)
    }

    /// Sets one offer's stock; `null` means unlimited.
    #[wasm_bindgen(js_name = setStock)]
    pub fn set_stock(
        &mut self,
        #[wasm_bindgen(js_name = offerId, unchecked_param_type = "string")] offer_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | null")] stock: JsValue,
    ) -> JsResult<()> {
        let offer_id = js(string_arg(&offer_id, "offerId"))?;
        let stock = js(optional_count(&stock, "stock"))?;
        js(self.inner.set_stock(&offer_id, stock))
    }

    /// Number of offers in the catalog.
    #[wasm_bindgen(getter, js_name = offerCount)]
    pub fn offer_count(&self) -> u32 {
        self.inner.catalog().len() as u32
    }

    /// Embedding length of the catalog (0 without embeddings).
    #[wasm_bindgen(getter, js_name = embeddingDim)]
    pub fn embedding_dim(&self) -> u32 {
        self.inner.catalog().embedding_dim() as u32
    }
}

/// Encodes a catalog (an object or JSON text) in the binary form, after validating it.
#[wasm_bindgen(js_name = catalogToBinary)]
pub fn catalog_to_binary(
    #[wasm_bindgen(unchecked_param_type = "CatalogInput | string")] catalog: JsValue,
) -> JsResult<Vec<u8>> {
    let catalog: CatalogInput = js(from_js_or_json(catalog, ""))?;
    Ok(js(Engine::new(catalog, &EngineOptions::default()))?.to_binary())
}

/// Assigns a user id to a variant of an experiment (stable across calls, builds and
/// platforms).
#[wasm_bindgen(js_name = assignVariant, unchecked_return_type = "VariantAssignment")]
pub fn assign_variant(
    #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Experiment")] experiment: JsValue,
) -> JsResult<JsValue> {
    let user_id = js(string_arg(&user_id, "userId"))?;
    let experiment: ExperimentInput = js(from_js(experiment, "experiment"))?;
    let (assignment, _) = js(crate::serve::experiment::assign(
        &user_id,
        &experiment,
        "userId",
        "experiment",
    ))?;
    to_js(&assignment)
}

/// The members of a group (a 团长's customers), for `engine.rankForGroup`. `add`
/// takes a snapshot of a profile, so later events on it do not change the group.
#[wasm_bindgen(js_name = Group)]
pub struct JsGroup {
    members: Vec<(Profile, Option<String>)>,
}

#[wasm_bindgen(js_class = Group)]
impl JsGroup {
    /// An empty group.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsGroup {
        JsGroup {
            members: Vec::new(),
        }
    }

    /// Adds a snapshot of a member's profile, with an optional display name; returns
    /// the member's index (what results call `member`).
    pub fn add(
        &mut self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "string")] name: Option<JsValue>,
    ) -> JsResult<u32> {
        let name = match name {
            Some(v) if !v.is_undefined() && !v.is_null() => {
                let s = js(string_arg(&v, "name"))?;
                if s.len() > 256 {
                    return Err(convert::to_js_error(crate::error::Error::invalid(
                        "name",
                        "expected a string of at most 256 bytes",
                    )));
                }
                Some(s)
            }
            _ => None,
        };
        if self.members.len() >= crate::serve::group::MAX_MEMBERS {
            return Err(convert::to_js_error(crate::error::Error::new(
                crate::error::ErrorCode::TooLarge,
                "group",
                format!(
                    "a group holds at most {} members",
                    crate::serve::group::MAX_MEMBERS
                ),
            )));
        }
        self.members.push((profile.inner.clone(), name));
        Ok(self.members.len() as u32 - 1)
    }

    /// Number of members.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.members.len() as u32
    }
}

impl Default for JsGroup {
    fn default() -> Self {
        Self::new()
    }
}

/// One user's on-device state.
#[wasm_bindgen(js_name = Profile)]
pub struct JsProfile {
    inner: Profile,
}

#[wasm_bindgen(js_class = Profile)]
impl JsProfile {
    /// An empty profile: nothing known yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsProfile {
        JsProfile {
            inner: Profile::new(),
        }
    }

    /// A profile from what is known up front (age, income, location, history).
    #[wasm_bindgen(js_name = fromUser)]
    pub fn from_user(
        #[wasm_bindgen(unchecked_param_type = "UserInput")] user: Option<JsValue>,
    ) -> JsResult<JsProfile> {
        let user: UserInput = js(from_js_or_default(user, "user"))?;
        Ok(JsProfile {
            inner: js(Profile::from_user(&user))?,
        })
    }

    /// Loads a saved profile from `toBytes()` or `toBase64()` output; `null` or
    /// `undefined` gives an empty profile.
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string | null | undefined")]
        saved: JsValue,
    ) -> JsResult<JsProfile> {
        let inner = if saved.is_null() || saved.is_undefined() {
            Profile::new()
        } else if let Some(text) = saved.as_string() {
            js(Profile::from_base64(&text))?
        } else if let Some(bytes) = super::js::uint8_array(&saved) {
            js(Profile::from_bytes(&bytes))?
        } else {
            return Err(convert::to_js_error(crate::error::Error::corrupt(
                "profile",
                "expected a Uint8Array, a base64 string, or null",
            )));
        };
        Ok(JsProfile { inner })
    }

    /// Updates age, income or location (absent fields stay as they were) and records
    /// `history` as purchases. All or nothing.
    #[wasm_bindgen(js_name = setUser)]
    pub fn set_user(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "UserInput")] user: JsValue,
    ) -> JsResult<()> {
        let user: UserInput = js(from_js(user, "user"))?;
        js(self.inner.set_user(&user))
    }

    /// Records an event that carries its own category and price (use
    /// `engine.record(profile, event)` to have them filled in from the catalog).
    pub fn record(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ProfileEvent")] event: JsValue,
    ) -> JsResult<()> {
        let event: EventInput = js(from_js(event, "event"))?;
        js(self.inner.record(&event))
    }

    /// The saved form, for IndexedDB or files.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// The saved form as base64 text, for `localStorage` and `wx.setStorageSync`.
    #[wasm_bindgen(js_name = toBase64)]
    pub fn to_base64(&self) -> String {
        self.inner.to_base64()
    }

    /// Number of events recorded.
    #[wasm_bindgen(getter, js_name = eventCount)]
    pub fn event_count(&self) -> f64 {
        self.inner.event_count() as f64
    }

    /// The time zone daily caps and the push gate use, minutes east of UTC
    /// (default 480, China Standard Time).
    #[wasm_bindgen(getter, js_name = utcOffsetMinutes)]
    pub fn utc_offset_minutes(&self) -> i32 {
        i32::from(self.inner.utc_offset_minutes())
    }

    /// Sets the time zone, minutes east of UTC (-720..=840).
    #[wasm_bindgen(js_name = setUtcOffsetMinutes)]
    pub fn set_utc_offset_minutes(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] minutes: JsValue,
    ) -> JsResult<()> {
        let minutes = minutes.as_f64().ok_or_else(|| {
            convert::to_js_error(crate::error::Error::invalid(
                "utcOffsetMinutes",
                "expected a number",
            ))
        })?;
        js(self.inner.set_utc_offset_minutes(minutes))
    }

    /// True when nothing is known about the user.
    #[wasm_bindgen(getter, js_name = isCold)]
    pub fn is_cold(&self) -> bool {
        self.inner.is_cold()
    }
}

impl Default for JsProfile {
    fn default() -> Self {
        Self::new()
    }
}
