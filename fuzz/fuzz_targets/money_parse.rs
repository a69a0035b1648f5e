//! Money parsing: any text either is refused or parses to an amount whose `Display`
//! parses back to the same amount.
#![no_main]

use libfuzzer_sys::fuzz_target;
use service_recovery::money::Money;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(money) = text.parse::<Money>() {
        let shown = money.to_string();
        assert_eq!(shown.parse::<Money>(), Ok(money), "{text:?} shown as {shown:?}");
    }
});
