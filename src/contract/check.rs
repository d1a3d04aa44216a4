//! Validation shared by several layers: timestamps, locations and positive numbers
//! (catalog offers, profile events, rank options and the sample binding use them).

use crate::contract::input::LocationInput;
use crate::error::{describe_number, Error, Result};
use crate::util::geo::{check_lat_lng, to_wgs84, LatLng};

/// Validates a location and converts it to WGS-84.
///
/// # Errors
/// `invalidInput` at `path.lat` or `path.lng`.
pub fn check_location(location: &LocationInput, path: &str) -> Result<LatLng> {
    check_lat_lng(location.lat, location.lng)
        .map_err(|(field, msg)| Error::invalid(format!("{path}.{field}"), msg))?;
    Ok(to_wgs84(
        location.lat,
        location.lng,
        location.datum.unwrap_or_default(),
    ))
}

/// Validates an epoch-ms timestamp: finite and within ±10⁴ years of 1970.
///
/// # Errors
/// `invalidInput` at `path`.
pub fn check_time(ms: f64, path: &str) -> Result<()> {
    const LIMIT_MS: f64 = 3.2e14;
    if ms.is_finite() && ms.abs() <= LIMIT_MS {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected a time in epoch milliseconds, got {}",
                describe_number(ms)
            ),
        ))
    }
}

/// Validates a number in (0, `max`].
///
/// # Errors
/// `invalidInput` at `path`.
pub fn check_positive(x: f64, path: &str, max: f64) -> Result<f64> {
    if x.is_finite() && x > 0.0 && x <= max {
        Ok(x)
    } else {
        Err(Error::invalid(
            path,
            format!("expected a positive number, got {}", describe_number(x)),
        ))
    }
}
