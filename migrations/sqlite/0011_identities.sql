-- A customer is the company's customer: customers.id is an internal id from now on, and who a
-- customer is on a channel is an identity. Existing customers keep their id (the Telegram user
-- id they had), so every reference to them stays valid; new customers get the next rowid.
CREATE TABLE identities (
    -- telegram, shell (the terminal), …
    channel     TEXT    NOT NULL,
    -- the channel's id of the person (Telegram: the user id)
    external_id TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    -- where the channel reaches them (Telegram: the private chat id)
    address     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- when they last wrote through this identity: messages go where they last wrote
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (channel, external_id)
);
CREATE INDEX identities_by_customer ON identities (customer_id, seen_at);

-- Every customer so far came through Telegram (id = user id, chat_id = their private chat),
-- except the terminal's test customer (`cskh shell`): id 1 in chat 1 with no username, which
-- no Telegram account is.
INSERT INTO identities (channel, external_id, customer_id, address, created_at, seen_at)
SELECT CASE WHEN id = 1 AND chat_id = 1 AND username IS NULL THEN 'shell' ELSE 'telegram' END,
       CAST(id AS TEXT), id, CAST(chat_id AS TEXT), created_at, updated_at
FROM customers;

ALTER TABLE customers DROP COLUMN chat_id;

-- The channel an outbox row goes through; chat_id is the address in it.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';
UPDATE outbox SET channel = 'shell'
WHERE customer_id IN (SELECT customer_id FROM identities WHERE channel = 'shell');
