"""Go request wrappers (stripe_perm_lint.parse.go.wrappers): a function or method that sends a
Stripe base URL followed by its path parameter; each call of it is a raw request with the
caller's verb and path, at the call, in the wrapper's own file, another file of the package, or
another package of the app. Facts are compared as the tuples of ``parse_helpers.simplify``."""

from __future__ import annotations

from parse_helpers import simplify

from stripe_perm_lint.linker import link_app
from stripe_perm_lint.parse.go import parse

WRAPPERS = """package billing

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

const stripeAPI = "https://api.stripe.com/v1"

type Svc struct {
	accessToken string
	base        string
}

func NewSvc(accessToken string) *Svc { return &Svc{accessToken: accessToken, base: "https://api.stripe.com"} }

func (s *Svc) do(method, path string, body io.Reader) (*http.Response, error) {
	req, _ := http.NewRequest(method, "https://api.stripe.com"+path, body)
	req.Header.Set("Authorization", "Bearer "+s.accessToken)
	return http.DefaultClient.Do(req)
}

func (s *Svc) based(method, path string) (*http.Response, error) {
	url := s.base + path
	req, _ := http.NewRequest(method, url, nil)
	req.SetBasicAuth(os.Getenv("STRIPE_SECRET_KEY"), "")
	return http.DefaultClient.Do(req)
}

func get(path string) (*http.Response, error) {
	return http.Get(fmt.Sprintf("%s%s", stripeAPI, path))
}
"""


def test_each_call_of_a_wrapper_is_a_request_with_the_caller_s_verb_and_path():
    callers = """
func (s *Svc) run(id string, paths []string) {
	s.do("POST", "/v1/refunds", nil)
	s.do(http.MethodGet, "/v1/customers/"+id, nil)
	s.do(http.MethodDelete, fmt.Sprintf("/v1/customers/%s/discount", id), nil)
	s.do("GET", paths[0], nil)
	NewSvc(s.accessToken).based(http.MethodPost, "/v1/payouts")
	get("/customers")
}
"""
    found = parse("billing/svc.go", WRAPPERS + callers)
    base = WRAPPERS.count("\n")
    assert simplify(found, ["raw"]) == [
        ("raw", "POST", "/v1/refunds", base + 3, "installing"),
        ("raw", "GET", "/v1/customers/{}", base + 4, "installing"),
        ("raw", "DELETE", "/v1/customers/{}/discount", base + 5, "installing"),
        # `s.do("GET", paths[0], nil)`: a path the parser cannot read is no request (as in TS and Python)
        ("raw", "POST", "/v1/payouts", base + 7, "platform"),
        ("raw", "GET", "/v1/customers", base + 8, "unknown"),
    ]
    assert [(w.name, w.path_param, w.method_param, w.default_verb, w.prefix, w.account)
            for w in found.request_wrapper_exports] == [
        ("Svc.based", 1, 0, "?", "", "platform"),
        ("Svc.do", 1, 0, "?", "", "installing"),
        ("get", 0, None, "GET", "/v1", "unknown"),
    ]


def test_a_wrapper_no_call_of_the_file_stands_for_keeps_its_own_request():
    source = """package billing

import "net/http"

func do(method, path string) {
	url := "https://api.stripe.com/v1/" + path
	req, _ := http.NewRequest(method, url, nil)
	http.DefaultClient.Do(req)
}

func customer(id string) { http.Get("https://api.stripe.com/v1/customers/" + id) }
"""
    found = parse("billing/a.go", source)
    assert simplify(found, ["raw"]) == [("raw", "?", "/v1/{}", 7, "unknown"), ("raw", "GET", "/v1/customers/{}", 11, "unknown")]
    # `/v1/customers/` + id: the parameter is an id after a resource, not the API path
    assert [w.name for w in found.request_wrapper_exports] == ["do"]
    called = parse("billing/a.go", source + 'func run() { do("POST", "/invoices") }\n')
    assert simplify(called, ["raw"]) == [("raw", "GET", "/v1/customers/{}", 11, "unknown"),
                                         ("raw", "POST", "/v1/invoices", 12, "unknown")]


def test_wrappers_of_another_file_of_the_package_and_of_another_package():
    callers = """package billing

import (
	"net/http"

	"github.com/acme/billing/internal/stripex"
)

func (h *Handlers) run(tok string) {
	svc := &Svc{accessToken: tok}
	svc.do(http.MethodPost, "/v1/credit_notes", nil)
	stripex.Do("DELETE", "/v1/subscriptions/sub_1")
	stripex.Do("GET", "not a path")
}
"""
    stripex = """package stripex

import (
	"net/http"
	"os"
)

func Do(method, path string) (*http.Response, error) {
	req, _ := http.NewRequest(method, "https://api.stripe.com"+path, nil)
	req.SetBasicAuth(os.Getenv("STRIPE_SECRET_KEY"), "")
	return http.DefaultClient.Do(req)
}
"""
    parsed = [parse("backend/internal/billing/svc.go", WRAPPERS), parse("backend/internal/billing/run.go", callers),
              parse("backend/internal/stripex/do.go", stripex), parse("backend/jobs/run.go", callers)]
    assert [(p.import_local, p.member, p.args[:2], p.position.line) for p in parsed[1].pending_requests] == [
        ("Svc", "do", ("POST", "/v1/credit_notes"), 11),
        ("stripex", "Do", ("DELETE", "/v1/subscriptions/sub_1"), 12),
    ]
    linked = {f.path: f for f in link_app(parsed, go_modules={"backend": "github.com/acme/billing"})}
    assert simplify(linked["backend/internal/billing/run.go"], ["raw"]) == [
        ("raw", "POST", "/v1/credit_notes", 11, "installing"),
        ("raw", "DELETE", "/v1/subscriptions/sub_1", 12, "platform"),
    ]
    # another folder is another package; its stripex import still leads to the wrapper
    assert simplify(linked["backend/jobs/run.go"], ["raw"]) == [("raw", "DELETE", "/v1/subscriptions/sub_1", 12, "platform")]


def test_a_function_that_hands_its_path_to_a_wrapper_is_one_too():
    callers = """
func (s *Svc) get(path string) (*http.Response, error) { return s.do(http.MethodGet, path, nil) }

func (s *Svc) send(verb, path string) { s.get2(verb, path) }

func (s *Svc) get2(verb, path string) { s.do(verb, path, nil) }

func (s *Svc) run(id string) {
	s.get("/v1/invoices/" + id)
	s.send("POST", "/v1/invoices/"+id+"/pay")
}
"""
    found = parse("billing/svc.go", WRAPPERS + callers)
    base = WRAPPERS.count("\n")
    assert simplify(found, ["raw"]) == [
        ("raw", "GET", "/v1/invoices/{}", base + 9, "installing"),
        ("raw", "POST", "/v1/invoices/{}/pay", base + 10, "installing"),
    ]
    assert {w.name: (w.path_param, w.method_param, w.default_verb) for w in found.request_wrapper_exports} == {
        "Svc.based": (1, 0, "?"), "Svc.do": (1, 0, "?"), "get": (0, None, "GET"),
        "Svc.get": (0, None, "GET"), "Svc.get2": (1, 0, "?"), "Svc.send": (1, 0, "?")}


def test_the_request_of_a_wrapper_reached_only_through_another_is_no_request_of_its_own():
    source = """package billing

import "net/http"

func do(method, path string) {
	req, _ := http.NewRequest(method, "https://api.stripe.com/v1/"+path, nil)
	http.DefaultClient.Do(req)
}

func post(path string) { do("POST", path) }

func run() { post("charges") }
"""
    assert simplify(parse("billing/a.go", source), ["raw"]) == [("raw", "POST", "/v1/charges", 12, "unknown")]
    assert simplify(parse("billing/a.go", source.replace('post("charges")', "")), ["raw"]) == [
        ("raw", "?", "/v1/{}", 6, "unknown")]


def test_a_wrapper_called_from_another_file_of_the_package_loses_its_own_request():
    wrapper = """package billing

import "net/http"

func do(method, path string) {
	req, _ := http.NewRequest(method, "https://api.stripe.com/v1/"+path, nil)
	http.DefaultClient.Do(req)
}
"""
    caller = 'package billing\n\nfunc run() { do("POST", "/charges") }\n'
    uncalled = 'package billing\n\nfunc run() { do("POST", nil) }\n'
    for other, own in ((caller, []), (uncalled, [("raw", "?", "/v1/{}", 6, "unknown")])):
        linked = {f.path: f for f in link_app([parse("billing/do.go", wrapper), parse("billing/run.go", other)])}
        assert simplify(linked["billing/do.go"], ["raw"]) == own
    linked = {f.path: f for f in link_app([parse("billing/do.go", wrapper), parse("billing/run.go", caller)])}
    assert simplify(linked["billing/run.go"], ["raw"]) == [("raw", "POST", "/v1/charges", 3, "unknown")]
