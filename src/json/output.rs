//! The engine's results as JSON: ranked and filtered offers, rankings with their
//! experiment variant, push decisions, group selections.

use super::{field, opt, raw, ToJson};
use crate::engine::Ranking;
use crate::rank::explain::ReasonKind;
use crate::rank::features::Feature;
use crate::rank::{Breakdown, FilteredOffer, RankedOffer, Reason};
use crate::serve::experiment::Assignment;
use crate::serve::group::{GroupPick, GroupSelection, ServedMember};
use crate::serve::notify::{NotifyDecision, NotifyReason};

impl ToJson for RankedOffer {
    fn write_json(&self, out: &mut String) {
        let RankedOffer {
            offer_id,
            score,
            rank,
            title,
            category,
            price,
            store_id,
            store_name,
            distance_m,
            reasons,
            breakdown,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "score", score);
        field(out, "rank", rank);
        field(out, "title", title);
        field(out, "category", category);
        field(out, "price", price);
        field(out, "storeId", store_id);
        field(out, "storeName", store_name);
        opt(out, "distanceM", distance_m);
        field(out, "reasons", reasons);
        field(out, "breakdown", breakdown);
        raw(out, "}");
    }
}

impl ToJson for Reason {
    /// The reason's `code` and parameters, then `text` and `weight`, in one object.
    fn write_json(&self, out: &mut String) {
        use ReasonKind as R;
        let Reason { kind, text, weight } = self;
        raw(out, "{");
        let code = match kind {
            R::Nearby { .. } => "nearby",
            R::AgeFit => "ageFit",
            R::PriceFit => "priceFit",
            R::BoughtBefore { .. } => "boughtBefore",
            R::FrequentCategory { .. } => "frequentCategory",
            R::SimilarToLiked => "similarToLiked",
            R::RepurchaseDue { .. } => "repurchaseDue",
            R::Popular { .. } => "popular",
            R::NewArrival => "newArrival",
            R::Discount { .. } => "discount",
            R::Promoted => "promoted",
            R::ColdStart => "coldStart",
            R::Pinned => "pinned",
            R::Explore { .. } => "explore",
            R::Fatigued { .. } => "fatigued",
            R::LessOfCategory { .. } => "lessOfCategory",
        };
        field(out, "code", code);
        match kind {
            R::Nearby {
                distance_m,
                store_name,
            } => {
                field(out, "distanceM", distance_m);
                field(out, "storeName", store_name);
            }
            R::BoughtBefore { times } => field(out, "times", times),
            R::FrequentCategory { category }
            | R::Explore { category }
            | R::LessOfCategory { category } => field(out, "category", category),
            R::RepurchaseDue {
                days_since,
                cycle_days,
            } => {
                field(out, "daysSince", days_since);
                field(out, "cycleDays", cycle_days);
            }
            R::Popular { sales } => field(out, "sales", sales),
            R::Discount {
                save_yuan,
                percent_off,
            } => {
                field(out, "saveYuan", save_yuan);
                field(out, "percentOff", percent_off);
            }
            R::Fatigued { impressions } => field(out, "impressions", impressions),
            R::AgeFit
            | R::PriceFit
            | R::SimilarToLiked
            | R::NewArrival
            | R::Promoted
            | R::ColdStart
            | R::Pinned => {}
        }
        field(out, "text", text);
        field(out, "weight", weight);
        raw(out, "}");
    }
}

impl ToJson for Breakdown {
    fn write_json(&self, out: &mut String) {
        // The fields in declaration order, named as `Serialize` names them.
        raw(out, "{");
        for feature in Feature::ALL {
            field(out, feature.name(), &self.get(feature));
        }
        raw(out, "}");
    }
}

impl ToJson for FilteredOffer {
    fn write_json(&self, out: &mut String) {
        let FilteredOffer {
            offer_id,
            title,
            codes,
            text,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "title", title);
        field(out, "codes", codes);
        field(out, "text", text);
        raw(out, "}");
    }
}

impl ToJson for Assignment {
    fn write_json(&self, out: &mut String) {
        let Assignment {
            experiment,
            variant,
            bucket,
        } = self;
        raw(out, "{");
        field(out, "experiment", experiment);
        field(out, "variant", variant);
        field(out, "bucket", bucket);
        raw(out, "}");
    }
}

impl ToJson for Ranking {
    fn write_json(&self, out: &mut String) {
        let Ranking { variant, items } = self;
        raw(out, "{");
        opt(out, "variant", variant);
        field(out, "items", items);
        raw(out, "}");
    }
}

impl ToJson for NotifyReason {
    fn write_json(&self, out: &mut String) {
        let NotifyReason { code, text } = self;
        raw(out, "{");
        field(out, "code", code);
        field(out, "text", text);
        raw(out, "}");
    }
}

impl ToJson for NotifyDecision {
    fn write_json(&self, out: &mut String) {
        let NotifyDecision {
            notify,
            offer,
            reason,
            score,
            pushes_today,
            budget_per_day,
        } = self;
        raw(out, "{");
        field(out, "notify", notify);
        opt(out, "offer", offer);
        field(out, "reason", reason);
        opt(out, "score", score);
        field(out, "pushesToday", pushes_today);
        field(out, "budgetPerDay", budget_per_day);
        raw(out, "}");
    }
}

impl ToJson for ServedMember {
    fn write_json(&self, out: &mut String) {
        let ServedMember {
            member,
            name,
            score,
            reasons,
        } = self;
        raw(out, "{");
        field(out, "member", member);
        opt(out, "name", name);
        field(out, "score", score);
        field(out, "reasons", reasons);
        raw(out, "}");
    }
}

impl ToJson for GroupPick {
    fn write_json(&self, out: &mut String) {
        let GroupPick {
            offer_id,
            rank,
            title,
            category,
            price,
            store_id,
            store_name,
            mean_score,
            served,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "rank", rank);
        field(out, "title", title);
        field(out, "category", category);
        field(out, "price", price);
        field(out, "storeId", store_id);
        field(out, "storeName", store_name);
        field(out, "meanScore", mean_score);
        field(out, "served", served);
        raw(out, "}");
    }
}

impl ToJson for GroupSelection {
    fn write_json(&self, out: &mut String) {
        let GroupSelection {
            items,
            members,
            members_served,
            objective,
        } = self;
        raw(out, "{");
        field(out, "items", items);
        field(out, "members", members);
        field(out, "membersServed", members_served);
        field(out, "objective", objective);
        raw(out, "}");
    }
}
