/*! Boomerang storefront snippet: reports cart activity to Boomerang and refills recovered
 * carts. No dependencies; never throws into the page (problems go to console.warn).
 *
 *   Boomerang.init({key: "bmr_...", endpoint: "https://boomerang.example.com"});
 *   Boomerang.cart({cart_id, items: [{id, name, price, quantity}], total, currency});
 *   Boomerang.identify("ada@example.com", {first_name: "Ada"});
 *   Boomerang.checkout();                       // posts checkout_started
 *   Boomerang.restore(Boomerang.adapters.wooCommerce({redirectTo: "/cart/"}));
 */
(function (window) {
  "use strict";
  var CART = "boomerang:cart"; // the last cart reported, so identify() can send it again
  var WHO = "boomerang:who"; // {customer_email, customer}, added to every cart report
  var FACTS = ["first_name", "last_name", "locale", "accepts_marketing"];
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var script = document.currentScript;
  var config = null;
  var timer = null;
  var waiting = []; // resolvers of the cart() calls a debounced report answers

  function warn(what, error) {
    try {
      window.console.warn("Boomerang: " + what, error === undefined ? "" : error);
    } catch (ignored) {}
  }

  function load(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (ignored) {
      return null;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (ignored) {} // private mode, storage full: the report still goes out
  }

  function assign(target) {
    for (var i = 1; i < arguments.length; i++) {
      var source = arguments[i] || {};
      for (var name in source) {
        if (Object.prototype.hasOwnProperty.call(source, name)) target[name] = source[name];
      }
    }
    return target;
  }

  function url(path) {
    return config.endpoint.replace(/\/+$/, "") + path;
  }

  // Resolves true once Boomerang took the event, false otherwise; never rejects.
  function send(type, data) {
    if (!config) {
      warn("call Boomerang.init({key, endpoint}) first");
      return Promise.resolve(false);
    }
    var body = {event: type, timestamp: new Date().toISOString(), data: data};
    return window
      .fetch(url("/api/v1/events"), {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        keepalive: true, // still delivered when the shopper leaves the page
        headers: {Authorization: "Bearer " + config.key, "Content-Type": "application/json"},
        body: JSON.stringify(body),
      })
      .then(
        function (response) {
          if (!response.ok) warn(type + " was refused (" + response.status + ")");
          return response.ok;
        },
        function (error) {
          warn("could not send " + type, error);
          return false;
        }
      );
  }

  function report(type) {
    var cart = load(CART);
    if (!cart) return Promise.resolve(false);
    return send(type, assign({}, cart, load(WHO)));
  }

  // Now: the debounced cart_updated, if one is waiting; every cart() call it stood for learns
  // its answer.
  function flush() {
    if (timer === null) return Promise.resolve(false);
    window.clearTimeout(timer);
    timer = null;
    var answered = waiting;
    waiting = [];
    return report("cart_updated").then(function (ok) {
      answered.forEach(function (resolve) {
        resolve(ok);
      });
      return ok;
    });
  }

  function remember(data) {
    if (!data || typeof data !== "object" || !data.cart_id) {
      warn("a cart needs a cart_id", data);
      return false;
    }
    var cart = assign({}, data);
    cart.cart_id = String(cart.cart_id);
    if (cart.customer_email) who(cart.customer_email, cart.customer);
    delete cart.customer_email; // kept apart, for every cart of this shopper
    delete cart.customer;
    delete cart.checkout;
    save(CART, cart);
    return true;
  }

  // Remembers who the shopper is; false for an invalid address or the one already known.
  function who(email, facts) {
    email = String(email || "").trim();
    if (!EMAIL.test(email)) return false;
    var known = load(WHO) || {};
    if (known.customer_email && known.customer_email.toLowerCase() === email.toLowerCase()) {
      return false;
    }
    var customer = {};
    FACTS.forEach(function (name) {
      if (facts && facts[name] !== undefined && facts[name] !== null && facts[name] !== "") {
        customer[name] = facts[name];
      }
    });
    save(WHO, {customer_email: email, customer: customer});
    return true;
  }

  function guard(fallback, body) {
    return function () {
      try {
        return body.apply(null, arguments);
      } catch (error) {
        warn("ignored an error", error);
        return fallback();
      }
    };
  }

  function no() {
    return Promise.resolve(false);
  }

  var Boomerang = {
    debounceMs: 1000,

    // {key: a storefront key, endpoint: Boomerang's address (default: where this script is from)}
    init: guard(function () {}, function (options) {
      options = options || {};
      var endpoint = options.endpoint || (script && script.src ? new URL(script.src).origin : "");
      if (!options.key || !endpoint) return warn("init needs {key, endpoint}");
      config = {key: options.key, endpoint: endpoint};
    }),

    // The cart as it is now: {cart_id, items: [{id, name, price, quantity, ...}], subtotal,
    // total, currency, recovery_url, ...}. Bursts are sent once, after debounceMs of quiet.
    // {checkout: true} (or checkout()) reports checkout_started at once instead.
    cart: guard(no, function (data, options) {
      if (!remember(data)) return no();
      if ((options && options.checkout) || (data && data.checkout)) return Boomerang.checkout();
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(flush, Boomerang.debounceMs);
      return new Promise(function (resolve) {
        waiting.push(resolve);
      });
    }),

    // The shopper reached checkout (with the cart as it is then, or the last one reported).
    checkout: guard(no, function (data) {
      if (data && !remember(data)) return no();
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      var answered = waiting;
      waiting = [];
      return report("checkout_started").then(function (ok) {
        answered.forEach(function (resolve) {
          resolve(ok);
        });
        return ok;
      });
    }),

    // Once the shopper typed an address: who they are, sent with the remembered cart (once per
    // address; an invalid one is ignored). facts: {first_name, last_name, locale,
    // accepts_marketing}.
    identify: guard(no, function (email, facts) {
      if (!who(email, facts)) return no();
      if (timer !== null) return flush(); // the waiting report carries the address now
      return report("cart_updated");
    }),

    // On the recovery landing page (?cart=...&token=..., see BOOMERANG_STOREFRONT_CART_URL):
    // reads the cart through Boomerang and hands it to callback(cart); the Promise resolves
    // to the cart, or null.
    restore: guard(
      function () {
        return Promise.resolve(null);
      },
      function (callback, options) {
        options = options || {};
        var params = new URLSearchParams(window.location.search);
        var cartId = params.get(options.cartParam || "cart");
        var token = params.get(options.tokenParam || "token");
        if (!cartId || !token) return Promise.resolve(null);
        if (!config) {
          warn("call Boomerang.init({key, endpoint}) first");
          return Promise.resolve(null);
        }
        var path = "/api/v1/carts/" + encodeURIComponent(cartId) + "/restore?token=";
        return window
          .fetch(url(path + encodeURIComponent(token)), {mode: "cors", credentials: "omit"})
          .then(function (response) {
            if (!response.ok) {
              warn("the cart could not be restored (" + response.status + ")");
              return null;
            }
            return response.json();
          })
          .then(function (cart) {
            if (!cart) return null;
            return Promise.resolve(callback ? callback(cart) : null).then(function () {
              return cart;
            });
          })
          .catch(function (error) {
            warn("could not restore the cart", error);
            return null;
          });
      }
    ),

    adapters: {
      // A restore() callback that puts the items back into the WooCommerce cart through the
      // Store API (same origin: the shopper's session cookie), then goes to redirectTo.
      // Item ids are WooCommerce product (or variation) ids, unless itemId(item) says otherwise.
      wooCommerce: function (options) {
        options = options || {};
        var base = (options.storeApi || "/wp-json/wc/store/v1").replace(/\/+$/, "");
        var itemId = options.itemId || function (item) {
          return /^\d+$/.test(String(item.id)) ? Number(item.id) : item.id;
        };
        return function (cart) {
          var nonce = null;
          function call(path, init) {
            init = assign({credentials: "same-origin"}, init);
            init.headers = assign({"Content-Type": "application/json"}, init.headers);
            if (nonce) init.headers.Nonce = nonce;
            return window.fetch(base + path, init).then(function (response) {
              // Each answer carries the nonce for the next request.
              var headers = response.headers;
              nonce = headers.get("Nonce") || headers.get("X-WC-Store-API-Nonce") || nonce;
              return response;
            });
          }
          var added = [];
          var failed = [];
          var chain = call("/cart", {method: "GET"}).then(function (response) {
            if (!nonce) {
              throw new Error("GET " + base + "/cart answered " + response.status + ", no Nonce");
            }
          });
          (cart.items || []).forEach(function (item) {
            chain = chain.then(function () {
              var body = {id: itemId(item), quantity: item.quantity};
              return call("/cart/add-item", {method: "POST", body: JSON.stringify(body)}).then(
                function (response) {
                  (response.ok ? added : failed).push(item);
                  if (!response.ok) {
                    warn("could not add " + item.name + " (" + response.status + ")");
                  }
                }
              );
            });
          });
          return chain
            .then(function () {
              if (options.redirectTo && added.length) window.location.assign(options.redirectTo);
              return {added: added, failed: failed};
            })
            .catch(function (error) {
              warn("could not refill the WooCommerce cart", error);
              var untried = (cart.items || []).slice(added.length + failed.length);
              return {added: added, failed: failed.concat(untried)};
            });
        };
      },
    },
  };

  // Reports still waiting for their quiet moment go out when the shopper leaves.
  window.addEventListener("pagehide", function () {
    flush();
  });
  window.Boomerang = Boomerang;
})(window);
