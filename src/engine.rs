//! The engine: a catalog plus its configuration, and the operations the JS API
//! exposes, in plain Rust.

use crate::catalog::Catalog;
use crate::contract::input::{
    CatalogInput, Datum, EngineOptions, EventInput, GroupOptions, NotifyOptions, OfferInput,
    RankOptions, StoreInput,
};
use crate::error::{Error, ErrorCode, Result};
use crate::profile::Profile;
use crate::rank::params::{EngineConfig, RankParams};
use crate::rank::{self, FilteredOffer, RankedOffer};
use crate::serve::experiment::Assignment;
use crate::serve::group::{GroupSelection, Member};
use crate::serve::notify::NotifyDecision;

/// A ranking with the experiment variant that produced it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    /// The variant the user is in (`None` without `options.experiment`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<Assignment>,
    /// The feed.
    pub items: Vec<RankedOffer>,
}

/// A catalog ready to rank, with engine-wide defaults.
#[derive(Clone, Debug)]
pub struct Engine {
    catalog: Catalog,
    config: EngineConfig,
    datum: Datum,
}

impl Engine {
    /// Builds an engine from a catalog and options.
    ///
    /// # Errors
    /// The first problem in the catalog or options, with its path.
    ///
    /// # Example
    /// ```
    /// use goods_ranker::{sample, Engine, EngineOptions, Profile, RankOptions};
    /// let catalog = sample::sample_catalog(&sample::SampleOptions::default());
    /// let engine = Engine::new(catalog, &EngineOptions::default()).unwrap();
    /// let feed = engine
    ///     .rank(&Profile::new(), &RankOptions::default(), 1.764e12)
    ///     .unwrap();
    /// assert_eq!(feed.len(), 20);
    /// assert_eq!(feed[0].rank, 1);
    /// ```
    pub fn new(catalog: CatalogInput, options: &EngineOptions) -> Result<Self> {
        let config = EngineConfig::from_options(options)?;
        let datum = catalog.datum;
        Ok(Engine {
            catalog: Catalog::from_input(catalog)?,
            config,
            datum,
        })
    }

    /// Builds an engine from catalog JSON text.
    ///
    /// # Errors
    /// A syntax, shape or value error with its path.
    pub fn from_json(json: &str, options: &EngineOptions) -> Result<Self> {
        let input: CatalogInput = crate::contract::input::from_json(json, "")?;
        Self::new(input, options)
    }

    /// Builds an engine from a binary catalog (see [`crate::catalog::binary`]).
    ///
    /// # Errors
    /// `corruptState` at `catalog` for a truncated, corrupted or other-version file;
    /// a bad option.
    pub fn from_binary(bytes: &[u8], options: &EngineOptions) -> Result<Self> {
        let config = EngineConfig::from_options(options)?;
        let (catalog, datum) = crate::catalog::binary::decode(bytes)?;
        Ok(Engine {
            catalog,
            config,
            datum,
        })
    }

    /// The binary form of the current catalog.
    pub fn to_binary(&self) -> Vec<u8> {
        crate::catalog::binary::encode(&self.catalog, self.datum)
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The engine-wide configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Ranks the catalog for `profile`. `default_now_ms` is used when
    /// `options.now` is absent.
    ///
    /// # Errors
    /// A bad option, with its path (`options.limit`, …).
    pub fn rank(
        &self,
        profile: &Profile,
        options: &RankOptions,
        default_now_ms: f64,
    ) -> Result<Vec<RankedOffer>> {
        Ok(self
            .rank_with_variant(profile, options, default_now_ms)?
            .items)
    }

    /// Ranks like [`Engine::rank`] and also says which experiment variant applied,
    /// so the app can log it.
    ///
    /// # Errors
    /// A bad option, with its path.
    pub fn rank_with_variant(
        &self,
        profile: &Profile,
        options: &RankOptions,
        default_now_ms: f64,
    ) -> Result<Ranking> {
        let params = RankParams::resolve(&self.config, options, default_now_ms)?;
        Ok(Ranking {
            items: rank::rank(&self.catalog, profile, &params),
            variant: params.variant,
        })
    }

    /// The push gate: whether any offer is worth a notification now, and which.
    ///
    /// # Errors
    /// A bad option, with its path.
    pub fn should_notify(
        &self,
        profile: &Profile,
        options: &NotifyOptions,
        default_now_ms: f64,
    ) -> Result<NotifyDecision> {
        crate::serve::notify::should_notify(
            &self.catalog,
            &self.config,
            profile,
            options,
            default_now_ms,
        )
    }

    /// Group selection: the offers that serve the most members well.
    ///
    /// # Errors
    /// An empty or too large group, or a bad option, with its path.
    pub fn rank_for_group(
        &self,
        members: &[Member<'_>],
        options: &GroupOptions,
        default_now_ms: f64,
    ) -> Result<GroupSelection> {
        crate::serve::group::rank_for_group(
            &self.catalog,
            &self.config,
            members,
            options,
            default_now_ms,
        )
    }

    /// The offers the hard filters remove for `profile`, with their codes.
    ///
    /// # Errors
    /// A bad option, with its path.
    pub fn filtered(
        &self,
        profile: &Profile,
        options: &RankOptions,
        default_now_ms: f64,
    ) -> Result<Vec<FilteredOffer>> {
        let params = RankParams::resolve(&self.config, options, default_now_ms)?;
        Ok(rank::filtered(&self.catalog, profile, &params))
    }

    /// Records an event in `profile`, filling in the offer's category and price from
    /// the catalog when the event does not carry them.
    ///
    /// # Errors
    /// `unknownId` at `event.offerId` for an offer not in the catalog, or a bad field.
    pub fn record(&self, profile: &mut Profile, event: &EventInput) -> Result<()> {
        let idx = self.catalog.offer_idx(&event.offer_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownId,
                "event.offerId",
                format!("unknown offer id \"{}\"", event.offer_id),
            )
        })?;
        let mut event = event.clone();
        if event.category.is_none() {
            event.category = Some(self.catalog.offer_category(idx).to_string());
        }
        if event.price.is_none() {
            event.price = Some(self.catalog.offer_price(idx));
        }
        profile.record(&event)
    }

    /// Adds or replaces stores (coordinates in the catalog's datum unless a store
    /// names its own).
    ///
    /// # Errors
    /// The first problem in the batch; nothing changes then.
    pub fn upsert_stores(&mut self, stores: &[StoreInput]) -> Result<()> {
        self.catalog.upsert_stores(stores, self.datum)
    }

    /// Adds or replaces offers.
    ///
    /// # Errors
    /// The first problem in the batch; nothing changes then.
    pub fn upsert_offers(&mut self, offers: Vec<OfferInput>) -> Result<()> {
        self.catalog.upsert_offers(offers)
    }

    /// Removes offers by id.
    ///
    /// # Errors
    /// An unknown or repeated id; nothing changes then.
    pub fn remove_offers(&mut self, ids: &[String]) -> Result<usize> {
        self.catalog.remove_offers(ids)
    }

    /// Sets one offer's stock (`None` = unlimited).
    ///
    /// # Errors
    /// An unknown offer id.
    pub fn set_stock(&mut self, offer_id: &str, stock: Option<u32>) -> Result<()> {
        self.catalog.set_stock(offer_id, stock)
    }
}
