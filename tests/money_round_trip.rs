//! `Display` and `FromStr` of [`Money`] round-trip for every `i64` amount in every
//! currency (issue 10, defect 5: `i64::MIN` did not parse back).

use proptest::prelude::*;
use service_recovery::money::{Currency, Money};

/// Every valid currency code: any three uppercase ASCII letters, which covers the
/// 0-, 2- and 3-digit currencies and codes the crate does not know.
fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::USD),
        Just(Currency::JPY),
        Just(Currency::KWD),
        "[A-Z]{3}".prop_map(|code| Currency::new(&code).unwrap()),
    ]
}

/// Any i64, with the extremes and their neighbours drawn often.
fn minor() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MIN + 1),
        Just(i64::MAX),
        Just(i64::MAX - 1),
        Just(0),
        -1_000_i64..1_000,
        any::<i64>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn display_then_parse_gives_the_same_money(minor in minor(), currency in currency()) {
        let money = Money::new(minor, currency);
        let text = money.to_string();
        prop_assert_eq!(text.parse::<Money>(), Ok(money), "{}", text);
    }
}

#[test]
fn the_extremes_round_trip_in_each_number_of_digits() {
    for code in ["USD", "JPY", "KWD", "BIF", "TND", "ZZZ"] {
        let currency = Currency::new(code).unwrap();
        for minor in [i64::MIN, i64::MAX] {
            let money = Money::new(minor, currency);
            assert_eq!(money.to_string().parse::<Money>(), Ok(money), "{money}");
        }
    }
    assert_eq!(
        Money::new(i64::MIN, Currency::JPY).to_string(),
        "JPY -9,223,372,036,854,775,808"
    );
}
