//! One hand-off for every form: after [`MAX_TRIES`] answers the bot could not read, it offers to
//! pass the conversation to staff with what the customer said so far.

use super::buttons::{ButtonData, MenuItem};
use super::views::with_call_back;
use super::{Arg, Button, Ctx, Effect, Input, Msg, Part, State, Submission};
use crate::text;

/// Tries on one question before the bot offers a person.
pub const MAX_TRIES: u8 = 3;

/// A form that can be handed to staff.
pub trait Form: Sized {
    /// Failed answers to the current question.
    fn tries(&mut self) -> &mut u8;
    /// Answers that could not be read, kept for staff.
    fn unread(&mut self) -> &mut Vec<String>;
    /// The request recorded when the customer accepts the offer.
    fn handoff(self) -> Submission;
    /// The form again, asking its current question.
    fn ask(self, ctx: &Ctx, out: &mut Vec<Effect>) -> State;
    /// The state while the offer waits for an answer.
    fn offered(self) -> State;
    /// A typed yes or no to the offer.
    fn read_yes_no(t: &str, _ctx: &Ctx) -> Option<bool> {
        text::read_yes_no(t)
    }
}

/// "Shall I pass this to staff?", with its two buttons.
pub fn offer() -> Msg {
    Msg::id("handoff-offer").row(vec![
        Button::new("btn-handoff-yes", ButtonData::Handoff(true)),
        Button::new("btn-handoff-no", ButtonData::Handoff(false)),
    ])
}

/// An answer the form could not take: the customer is told why, and the last try brings the
/// offer instead of the question.
pub fn bad_answer<F: Form>(mut flow: F, why: Part, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    *flow.tries() += 1;
    out.push(Effect::Reply(Msg::new(why)));
    if *flow.tries() >= MAX_TRIES {
        out.push(Effect::Reply(offer()));
        return flow.offered();
    }
    flow.ask(ctx, out)
}

/// The customer's answer to the offer: yes records a hand-off request, no goes back to the
/// question, anything else is kept for staff and the offer stands.
pub fn on_answer<F: Form>(mut flow: F, input: Input, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let yes = match &input {
        Input::Button(ButtonData::Handoff(yes)) => Some(*yes),
        Input::Text(t) => F::read_yes_no(t, ctx),
        _ => None,
    };
    match yes {
        Some(true) => {
            out.push(Effect::Submit(flow.handoff()));
            out.push(Effect::Reply(
                Msg::new(with_call_back(
                    Part::new("handoff-done").arg("request", Arg::NewRequest),
                    ctx,
                ))
                .row(vec![Button::new(
                    "btn-menu",
                    ButtonData::Menu(MenuItem::Menu),
                )]),
            ));
            State::Idle
        }
        Some(false) => {
            *flow.tries() = 0;
            out.push(Effect::Reply(Msg::id("handoff-declined")));
            flow.ask(ctx, out)
        }
        None => {
            if let Input::Text(t) = input {
                flow.unread().push(t);
            }
            out.push(Effect::Reply(offer()));
            flow.offered()
        }
    }
}
