export default {
  mini: {}
}
