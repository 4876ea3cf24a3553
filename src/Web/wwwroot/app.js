// The browser's own text of an input, for a save that must not miss the last keys typed: the server's copy of a
// field bound per keystroke can still be a few keystrokes behind when Enter or a Save click is handled.
window.webApp = {
  inputValue: id => {
    const element = document.getElementById(id);
    return element && 'value' in element ? element.value : null;
  },
};
