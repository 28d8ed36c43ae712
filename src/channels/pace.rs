//! Keeps a channel's sends within its rate limits, first come first served.
//!
//! Each send reserves the earliest moment it may go out: a second after the chat's previous
//! message, under a group's limit per minute, and in a free slot of the channel's limit overall
//! (slots spaced evenly, so that no second ever holds more than the limit). Reservations are
//! taken in the order the sends ask, so a reply written after a burst waits behind the burst's
//! replies, never behind later ones, and no message waits in a queue that reorders them (as a
//! throttle that wakes a few times a second and picks from a full queue does).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A channel's limits on sending.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Messages a second into one chat.
    pub per_chat_per_sec: u32,
    /// Messages a minute into one group.
    pub per_group_per_min: u32,
    /// Messages a second in all.
    pub overall_per_sec: u32,
}

/// The reservations of one channel (one bot account).
#[derive(Debug)]
pub struct Pacer {
    rates: Rates,
    /// Whether an address is a group (a group's limit per minute applies).
    is_group: fn(&str) -> bool,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    base: Instant,
    /// Overall slots taken (indices of `spacing` from `base`), the last second's and later.
    slots: BTreeSet<u64>,
    /// Each chat's reserved moments, the last minute's and later, in order.
    chats: HashMap<String, VecDeque<Instant>>,
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

impl Pacer {
    pub fn new(rates: Rates, is_group: fn(&str) -> bool) -> Pacer {
        Pacer {
            rates,
            is_group,
            state: Mutex::new(State {
                base: Instant::now(),
                slots: BTreeSet::new(),
                chats: HashMap::new(),
            }),
        }
    }

    /// The time between two overall slots (a little over 1/limit s).
    fn spacing(&self) -> Duration {
        SECOND / self.rates.overall_per_sec.max(1) + Duration::from_micros(500)
    }

    /// Reserves the earliest moment a message into `address` may go out, from `now`.
    pub fn reserve_at(&self, address: &str, now: Instant) -> Instant {
        let spacing = self.spacing();
        let mut st = self.state.lock().unwrap();
        let mut at = now;
        {
            let times = st.chats.entry(address.to_string()).or_default();
            while times.front().is_some_and(|t| *t + MINUTE <= now) {
                times.pop_front();
            }
            let per_sec = self.rates.per_chat_per_sec.max(1) as usize;
            if times.len() >= per_sec {
                at = at.max(times[times.len() - per_sec] + SECOND);
            }
            let per_min = self.rates.per_group_per_min.max(1) as usize;
            if (self.is_group)(address) && times.len() >= per_min {
                at = at.max(times[times.len() - per_min] + MINUTE);
            }
        }
        let base = st.base;
        let index = |t: Instant| -> u64 {
            let d = t.saturating_duration_since(base);
            d.as_nanos().div_ceil(spacing.as_nanos()) as u64
        };
        let oldest = index(now.checked_sub(SECOND).unwrap_or(base));
        st.slots = st.slots.split_off(&oldest);
        let mut slot = index(at);
        while st.slots.contains(&slot) {
            slot += 1;
        }
        st.slots.insert(slot);
        let at = base + Duration::from_nanos(spacing.as_nanos() as u64 * slot);
        let times = st.chats.get_mut(address).expect("entry made above");
        times.push_back(at);
        // Chats quiet for a minute are forgotten.
        if st.chats.len() > 10_000 {
            st.chats
                .retain(|_, t| t.back().is_some_and(|last| *last + MINUTE > now));
        }
        at
    }

    /// Waits for this message's turn into `address`.
    pub async fn wait(&self, address: &str) {
        let at = self.reserve_at(address, Instant::now());
        tokio::time::sleep_until(at.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn telegram() -> Pacer {
        Pacer::new(
            Rates {
                per_chat_per_sec: 1,
                per_group_per_min: 20,
                overall_per_sec: 30,
            },
            |a| a.starts_with('-'),
        )
    }

    fn most_in(times: &mut [Instant], width: Duration) -> usize {
        times.sort();
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end].duration_since(times[start]) >= width {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    #[test]
    fn a_burst_into_many_chats_goes_out_at_the_overall_limit_in_the_order_asked() {
        let p = telegram();
        let now = Instant::now();
        let mut times: Vec<Instant> = (0..200)
            .map(|i| p.reserve_at(&format!("{}", 1000 + i), now))
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] < w[1]),
            "first come first served"
        );
        let last = *times.last().unwrap() - now;
        assert!(
            last < Duration::from_millis(6_800) && last > Duration::from_millis(6_500),
            "200 messages at 30 a second: {last:?}"
        );
        assert!(most_in(&mut times, SECOND) <= 30);
    }

    #[test]
    fn one_chat_gets_one_message_a_second_and_a_group_twenty_a_minute() {
        let p = telegram();
        let now = Instant::now();
        let chat: Vec<Instant> = (0..3).map(|_| p.reserve_at("42", now)).collect();
        assert!(chat[1] - chat[0] >= SECOND && chat[2] - chat[1] >= SECOND);
        let mut group: Vec<Instant> = (0..25).map(|_| p.reserve_at("-100", now)).collect();
        assert!(most_in(&mut group, MINUTE) <= 20);
        assert!(group[20] - group[0] >= MINUTE);
        // A private chat asking later is not held behind the group's minute.
        let other = p.reserve_at("43", now);
        assert!(
            other - now < Duration::from_millis(200),
            "{:?}",
            other - now
        );
    }

    #[test]
    fn a_reply_asked_after_a_burst_waits_behind_it_not_in_front() {
        let p = telegram();
        let now = Instant::now();
        let burst: Vec<Instant> = (0..60)
            .map(|i| p.reserve_at(&format!("{i}"), now))
            .collect();
        let later = p.reserve_at("9999", now + Duration::from_millis(10));
        assert!(later > *burst.last().unwrap());
    }
}
