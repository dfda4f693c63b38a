/* Animagine XL: a "Format for Animagine" tool button and Alt+Shift+A beside the txt2img/img2img prompts.
 *
 * The prompt is rewritten by the server's engine (POST /animagine/v1/format), never by a second
 * formatter in JavaScript, so the button, the tab and generation always agree. The text is replaced
 * through execCommand('insertText') so Ctrl+Z restores the user's own prompt, and an `input` event
 * tells gradio (and Tag Autocomplete) that the value changed.
 * Ids are those of animagine_webui/element_ids.py; every global here starts with "animagine".
 */
(function() {
    "use strict";

    var ROUTE = "/animagine/v1/format";
    var TABS = ["txt2img", "img2img"];

    function app() {
        return typeof gradioApp === "function" ? gradioApp() : document;
    }

    function textarea(id) {
        return app().querySelector("#" + id + " textarea");
    }

    /* Replace a textarea's whole value as one undoable edit, then let gradio know. */
    function replaceText(area, text) {
        if (area.value === text) {
            return;
        }
        area.focus();
        area.select();
        var undoable = false;
        try {
            undoable = document.execCommand("insertText", false, text);
        } catch (e) {
            undoable = false;
        }
        if (!undoable || area.value !== text) {
            area.value = text; // fallback (e.g. Firefox before 89): no undo step, but a correct value
        }
        area.dispatchEvent(new Event("input", {bubbles: true}));
    }

    function presetFor(tab) {
        var select = app().querySelector("#animagine_" + tab + "_preset input, #animagine_" + tab + "_preset select");
        return select && select.value ? select.value : null;
    }

    function setStatus(tab, text, isError) {
        var badge = app().querySelector("#animagine_" + tab + "_badge");
        var button = app().querySelector("#animagine_" + tab + "_format_button");
        if (button) {
            button.title = text || "Format for Animagine (Alt+Shift+A): reorder tags, add series, quality tags and negative";
            button.classList.toggle("animagine-error", !!isError);
        }
        if (badge && isError) {
            badge.title = text;
        }
    }

    async function formatTab(tab) {
        var prompt = textarea(tab + "_prompt");
        var negative = textarea(tab + "_neg_prompt");
        if (!prompt) {
            return;
        }
        var body = {prompt: prompt.value, negative_prompt: negative ? negative.value : "", preset: presetFor(tab)};
        var result;
        try {
            var response = await fetch(ROUTE, {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify(body),
            });
            if (!response.ok) {
                throw new Error("HTTP " + response.status);
            }
            result = await response.json();
        } catch (e) {
            setStatus(tab, "Animagine format failed: " + e.message, true);
            return;
        }
        if (result.error) {
            setStatus(tab, "Animagine: " + result.error, true);
            return;
        }
        // The browser keeps one undo stack per page: the prompt goes last so that the first Ctrl+Z
        // in the prompt box restores the user's prompt (a second one restores the negative).
        if (negative && typeof result.negative_prompt === "string") {
            replaceText(negative, result.negative_prompt);
        }
        replaceText(prompt, result.prompt);
        var warnings = result.warnings || [];
        setStatus(tab, warnings.length ? "Formatted. " + warnings.join(" ") : "Formatted for Animagine.", false);
    }

    function activeTab() {
        var focused = document.activeElement;
        for (var i = 0; i < TABS.length; i++) {
            var box = app().querySelector("#" + TABS[i] + "_prompt_container") || app().querySelector("#" + TABS[i] + "_prompt");
            if (focused && box && box.contains(focused)) {
                return TABS[i];
            }
        }
        if (typeof get_tab_index === "function") {
            var index = get_tab_index("tabs");
            return index === 1 ? "img2img" : index === 0 ? "txt2img" : null;
        }
        return null;
    }

    /* The per-generation toggle is the host's InputAccordion: its hidden checkbox, or the visible one it adds. */
    function toggleOn(tab) {
        var id = "animagine_" + tab + "_enable";
        var box = app().querySelector("#" + id + "-checkbox input") || app().querySelector("#" + id + "-visible-checkbox");
        return !!(box && box.checked);
    }

    function updateBadges() {
        TABS.forEach(function(tab) {
            var badge = app().querySelector("#animagine_" + tab + "_badge");
            if (badge) {
                badge.classList.toggle("animagine-on", toggleOn(tab));
            }
        });
    }

    function addButton(tab) {
        if (app().querySelector("#animagine_" + tab + "_format_button")) {
            return;
        }
        var tools = app().querySelector("#" + tab + "_tools");
        var prompt = app().querySelector("#" + tab + "_prompt");
        if (!tools && !prompt) {
            return;
        }
        var button = document.createElement("button");
        button.id = "animagine_" + tab + "_format_button";
        var native = app().querySelector("#" + tab + "_clear_prompt");
        button.className = (native ? native.className + " " : "") + "animagine-format-button";
        button.type = "button";
        button.textContent = "🅰";
        button.setAttribute("aria-label", "Format for Animagine");
        button.addEventListener("click", function() {
            formatTab(tab);
        });
        var badge = document.createElement("span");
        badge.id = "animagine_" + tab + "_badge";
        badge.className = "animagine-badge";
        badge.textContent = "Animagine";
        badge.title = "Animagine XL formatting is on for the next generation";
        if (tools) {
            tools.appendChild(button);
            tools.appendChild(badge);
        } else {
            prompt.parentNode.insertBefore(button, prompt.nextSibling);
            prompt.parentNode.insertBefore(badge, button.nextSibling);
        }
        setStatus(tab, "", false);
    }

    function onKey(event) {
        if (!(event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === "KeyA")) {
            return;
        }
        var tab = activeTab();
        if (tab) {
            event.preventDefault();
            formatTab(tab);
        }
    }

    function setup() {
        TABS.forEach(addButton);
        updateBadges();
    }

    if (typeof onUiLoaded === "function") {
        onUiLoaded(setup);
        document.addEventListener("keydown", onKey);
        // updateInput() on the accordion's checkbox dispatches a bubbling "input" event.
        document.addEventListener("input", function(event) {
            var id = event.target && (event.target.id || (event.target.closest && (event.target.closest("[id]") || {}).id));
            if (id && id.indexOf("animagine_") === 0) {
                updateBadges();
            }
        }, true);
        document.addEventListener("change", updateBadges, true);
    }

    window.animagineFormatPrompt = formatTab; // for other extensions and the browser tests
})();
