//! The sample module's outputs: the sample catalog and users.

use super::{field, opt, raw, ToJson};
use crate::contract::input::{
    AreaInput, CatalogInput, Datum, LocationInput, OfferInput, PurchaseInput, StoreInput, UserInput,
};
use crate::sample::SampleUser;

impl ToJson for CatalogInput {
    fn write_json(&self, out: &mut String) {
        let CatalogInput {
            version,
            datum,
            embedding_dim,
            stores,
            offers,
            areas,
        } = self;
        raw(out, "{");
        field(out, "version", version);
        if *datum != Datum::default() {
            field(out, "datum", datum);
        }
        opt(out, "embeddingDim", embedding_dim);
        field(out, "stores", stores);
        field(out, "offers", offers);
        opt(out, "areas", areas);
        raw(out, "}");
    }
}

impl ToJson for AreaInput {
    fn write_json(&self, out: &mut String) {
        let AreaInput {
            id,
            lat,
            lng,
            datum,
            radius_km,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        opt(out, "radiusKm", radius_km);
        raw(out, "}");
    }
}

impl ToJson for StoreInput {
    fn write_json(&self, out: &mut String) {
        let StoreInput {
            id,
            name,
            lat,
            lng,
            datum,
            delivery_radius_km,
            kind,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "name", name);
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        opt(out, "deliveryRadiusKm", delivery_radius_km);
        opt(out, "kind", kind);
        raw(out, "}");
    }
}

impl ToJson for OfferInput {
    fn write_json(&self, out: &mut String) {
        let OfferInput {
            id,
            title,
            category,
            category_path,
            tags,
            price,
            original_price,
            store_id,
            stock,
            popularity,
            starts_at,
            ends_at,
            age_min,
            age_max,
            min_age,
            income_bands,
            repurchase_days,
            boost,
            embedding,
            age_lift,
            income_lift,
            area_popularity,
            repurchase_rate,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "title", title);
        field(out, "category", category);
        opt(out, "categoryPath", category_path);
        opt(out, "tags", tags);
        field(out, "price", price);
        opt(out, "originalPrice", original_price);
        field(out, "storeId", store_id);
        opt(out, "stock", stock);
        opt(out, "popularity", popularity);
        opt(out, "startsAt", starts_at);
        opt(out, "endsAt", ends_at);
        opt(out, "ageMin", age_min);
        opt(out, "ageMax", age_max);
        opt(out, "minAge", min_age);
        opt(out, "incomeBands", income_bands);
        opt(out, "repurchaseDays", repurchase_days);
        opt(out, "boost", boost);
        opt(out, "embedding", embedding);
        opt(out, "ageLift", age_lift);
        opt(out, "incomeLift", income_lift);
        opt(out, "areaPopularity", area_popularity);
        opt(out, "repurchaseRate", repurchase_rate);
        raw(out, "}");
    }
}

impl ToJson for LocationInput {
    fn write_json(&self, out: &mut String) {
        let LocationInput { lat, lng, datum } = self;
        raw(out, "{");
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        raw(out, "}");
    }
}

impl ToJson for PurchaseInput {
    fn write_json(&self, out: &mut String) {
        let PurchaseInput {
            offer_id,
            category,
            price,
            quantity,
            at,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        opt(out, "category", category);
        opt(out, "price", price);
        opt(out, "quantity", quantity);
        field(out, "at", at);
        raw(out, "}");
    }
}

impl ToJson for UserInput {
    fn write_json(&self, out: &mut String) {
        let UserInput {
            location,
            age,
            income_band,
            monthly_income,
            history,
        } = self;
        raw(out, "{");
        opt(out, "location", location);
        opt(out, "age", age);
        opt(out, "incomeBand", income_band);
        opt(out, "monthlyIncome", monthly_income);
        opt(out, "history", history);
        raw(out, "}");
    }
}

impl ToJson for SampleUser {
    fn write_json(&self, out: &mut String) {
        let SampleUser {
            id,
            name,
            name_en,
            description,
            description_en,
            user,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "name", name);
        field(out, "nameEn", name_en);
        field(out, "description", description);
        field(out, "descriptionEn", description_en);
        field(out, "user", user);
        raw(out, "}");
    }
}
